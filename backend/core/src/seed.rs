//! The channel's own events, so a new installation shows a real site at once.
//! They go through the same forms and checks an organiser's input does.

use sqlx::PgPool;

use crate::error::Result;
use crate::events::authoring::{self, StatusChange};
use crate::forms::{EventForm, SeriesForm};
use crate::series::authoring as series;

/// The team's channel, "ML — это ОК", as the seed knows it. Organisers change
/// it in each series' form.
pub const CHANNEL: &str = "@ml_is_ok";

/// What `load` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    Loaded {
        series: usize,
        events: usize,
    },
    /// The database already had content; nothing was changed.
    AlreadyHadContent,
}

const HUNDREDTH_DESCRIPTION: &str = "\
💯 Представляем вашему вниманию 100 (это десятичная запись!) встречу ридинг-группы Одноклассников. \
На ридинг-группе мы обсуждаем научные статьи, главы из книг, блоги про ML. На каждой встрече есть \
ведущий – тот, кто читал статью внимательнее всех. Ведущий организует и направляет дискуссию, делает \
слайды (но это не точно) и вообще ведет себя как главный.

Для юбилейной встречи мы выбрали статью российских исследователей. Ведущим будет Сергей Ермилов, \
ML-инженер в команде Дружб Одноклассников.

**Запись:** внутри разбор статьи про то, как без шума и пыли воспроизвести SASRec без нейронок \
с демкой и бесценными вопросами/ответами.";

const DLRM_DESCRIPTION: &str = "\
🦙🌴 Пока люди (наверное, они биологи?) пытаются решить, что круче — лама или пальма, мы продолжаем \
обсуждать действительно важные вещи: заведение нейросетевых рекомендеров в продакшен.

На ридинг-группе обсудим модель DLRM и её реализацию на torchrec с дообучением онлайн. Ведущим будет \
Роман Болозовский, ML-инженер из команды Ленты ОК.

**Запись:** в этом разборе мы рассмотрели нейронный рекомендер DLRM, фреймворк для рекомендательных \
систем с различными низкоуровневыми оптимизациями TorchRec, а также обсудили возможные пути улучшения \
существующих подходов с помощью Online Learning.";

const MEETUP_DESCRIPTION: &str = "\
18 августа мы устраиваем первый OK Tech Talk. Тема мероприятия — «ML в production». Ждём \
ML-инженеров, аналитиков и дата-сайентистов.

На митапе обсудим, как снизить отправку пушей и не просадить продуктовые метрики, какие технические \
и продуктовые проблемы решает схема item2item и как с помощью no-code auto ML-платформы \
автоматизировать большую часть работы разработчика. Докладчики — сотрудники ОК, Дзена и VK Predict.

Сбор участников — с 17:00 до 17:30. Старт докладов — в 17:30.

**Участие бесплатное, регистрация обязательна.**";

const MEETUP_PROGRAMME: &str = "\
17:00-17:30 | gathering | Сбор участников, приветственный кофе-брейк
17:30-18:10 | talk | Less is more: как снизить отправку пушей и не просадить продуктовые метрики | Дарья Никанорова, ML Engineer, Одноклассники
18:10-18:50 | talk | Item2item схема в Дзене | Владислав Гончаренко, руководитель группы ранжирования видео, Дзен
18:50-19:00 | break | Перерыв
19:00-19:40 | talk | No-code auto ML — демократизация машинного обучения | Арсений Селякин, программист-исследователь, predict; Артём Агафонов, руководитель команды геоаналитики, predict
19:40-20:30 | networking | Фуршет, свободное общение";

/// Loads the seed into an empty database; leaves a database with any series alone.
#[tracing::instrument(skip(pool))]
pub async fn load(pool: &PgPool) -> Result<Seeded> {
    let now = chrono::Utc::now();
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM series").fetch_one(pool).await?;
    if existing > 0 {
        return Ok(Seeded::AlreadyHadContent);
    }

    let reading_group = series::create(
        pool,
        &SeriesForm {
            slug: "reading-group".into(),
            title: "Ридинг-группа Одноклассников".into(),
            description: "На ридинг-группе мы обсуждаем научные статьи, главы из книг, блоги про ML. \
                          На каждой встрече есть ведущий – тот, кто читал статью внимательнее всех."
                .into(),
            time_zone: "Europe/Moscow".into(),
            language: "ru".into(),
            ..SeriesForm::default()
        },
    )
    .await?;
    let tech_talk = series::create(
        pool,
        &SeriesForm {
            slug: "ok-tech-talk".into(),
            title: "OK Tech Talk".into(),
            description: "Митапы ML-команды Одноклассников: доклады, разговоры и фуршет.".into(),
            time_zone: "Europe/Moscow".into(),
            language: "ru".into(),
            ..SeriesForm::default()
        },
    )
    .await?;

    let hundredth = authoring::create(
        pool,
        &EventForm {
            series_id: reading_group.to_string(),
            kind: "session".into(),
            number: "100".into(),
            title: "Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations"
                .into(),
            description: HUNDREDTH_DESCRIPTION.into(),
            date: "2023-07-17".into(),
            start_time: "15:00".into(),
            end_time: "16:30".into(),
            format: "online".into(),
            venue_name: "Zoom".into(),
            registration_mode: "none".into(),
            recording_file_name: "Tensor_based_Sequential_Learning_via_Hankel_Matrix_Representation.mp4".into(),
            recording_size_mb: "75".into(),
            // "A walk-through of reproducing SASRec without neural networks, with a demo."
            demos: "ga-satf".into(),
            presenters: "Сергей Ермилов, ML-инженер, команда Дружб Одноклассников".into(),
            papers: "Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations \
                     | Evgeny Frolov, Ivan Oseledets | 2022 | arXiv:2212.05720"
                .into(),
            ..EventForm::default()
        },
        now,
    )
    .await?;
    let dlrm = authoring::create(
        pool,
        &EventForm {
            series_id: reading_group.to_string(),
            kind: "session".into(),
            number: "101".into(),
            title: "DLRM и его реализация на TorchRec с дообучением онлайн".into(),
            description: DLRM_DESCRIPTION.into(),
            date: "2023-07-27".into(),
            start_time: "17:00".into(),
            end_time: "18:30".into(),
            format: "online".into(),
            venue_name: "Zoom".into(),
            registration_mode: "none".into(),
            presenters: "Роман Болозовский, ML-инженер, команда Ленты ОК".into(),
            papers: "Deep Learning Recommendation Model for Personalization and Recommendation Systems \
                     | Maxim Naumov, Dheevatsa Mudigere, Hao-Jun Michael Shi, Jianyu Huang, Narayanan Sundaraman, \
                     Jongsoo Park, Xiaodong Wang, Udit Gupta, Carole-Jean Wu, Alisson G. Azzolini, Dmytro Dzhulgakov, \
                     Andrey Mallevich, Ilia Cherniavskii, Yinghai Lu, Raghuraman Krishnamoorthi, Ansha Yu, \
                     Volodymyr Kondratenko, Stephanie Pereira, Xianjie Chen, Wenlin Chen, Vijay Rao, Bill Jia, \
                     Liang Xiong, Misha Smelyanskiy | 2019 | arXiv:1906.00091"
                .into(),
            // "DLRM and its TorchRec implementation with online learning": the demo shows exactly that.
            demos: "dlrm".into(),
            ..EventForm::default()
        },
        now,
    )
    .await?;
    let meetup = authoring::create(
        pool,
        &EventForm {
            series_id: tech_talk.to_string(),
            kind: "meetup".into(),
            number: "1".into(),
            title: "ML в production".into(),
            description: MEETUP_DESCRIPTION.into(),
            date: "2023-08-18".into(),
            start_time: "17:00".into(),
            end_time: "20:30".into(),
            format: "in_person".into(),
            venue_name: "Оранжерея Таврического сада".into(),
            venue_address: "Санкт-Петербург, Шпалерная ул., 43, 1-й этаж".into(),
            registration_mode: "required".into(),
            programme: MEETUP_PROGRAMME.into(),
            ..EventForm::default()
        },
        now,
    )
    .await?;
    for id in [hundredth, dlrm, meetup] {
        authoring::change_status(pool, id, StatusChange::Publish, now).await?;
        authoring::change_status(pool, id, StatusChange::Finish, now).await?;
    }
    // The channel, set after the past events are in (they were announced by
    // hand in 2023); from now on new events are announced by the bot.
    sqlx::query("UPDATE series SET telegram_chat = $1").bind(CHANNEL).execute(pool).await?;
    tracing::info!("seed loaded");
    Ok(Seeded::Loaded { series: 2, events: 3 })
}
