//! The demos' words, the rest of the catalogue: what each demo is, its
//! parameters' help, its report's captions and its claim sentence, one
//! `DemoWords` per language (`ru.rs`, `en.rs`) with the same structs, so a
//! missing translation does not compile. Kept apart from `Words` and built
//! only with the server: the demos run and are presented on the server, and
//! the browser bundle should not carry their words.

mod en;
mod ru;

use crate::lang::Lang;

/// Everything the demos say in one language.
pub struct DemoWords {
    /// Every demo's `seed` parameter.
    pub seed: &'static str,
    pub sequences: SequencesWords,
    pub calibration: CalibrationWords,
    pub dlrm: DlrmWords,
    pub performative: PerformativeWords,
    pub sizes: SizesWords,
    pub gqa: GqaWords,
    pub lidb: LidbWords,
}

/// The demos' words in `lang`.
pub fn demo_words(lang: Lang) -> &'static DemoWords {
    match lang {
        Lang::Ru => &ru::RU,
        Lang::En => &en::EN,
    }
}

/// GA-SATF on sequences.
pub struct SequencesWords {
    pub users: &'static str,
    pub items: &'static str,
    pub clusters: &'static str,
    pub min_length: &'static str,
    pub max_length: &'static str,
    pub p_next: &'static str,
    pub p_taste: &'static str,
    pub positions: &'static str,
    pub rank_users: &'static str,
    pub rank_items: &'static str,
    pub rank_positions: &'static str,
    pub decay: &'static str,
    pub scaling: &'static str,
    pub iterations: &'static str,
    pub svd_rank: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub authors_results_on_movielens: &'static str,
    pub model: &'static str,
    pub their_numbers_on_different: &'static str,
    pub this_run_leave_last: &'static str,
    pub coverage: &'static str,
    pub fit: &'static str,
    pub every_users_last_item: &'static str,
    pub data: &'static str,
    pub what: &'static str,
    pub how_many: &'static str,
    pub source: &'static str,
    pub uploaded_csv: &'static str,
    pub generator: &'static str,
    pub users_label: &'static str,
    pub items_label: &'static str,
    pub interactions: &'static str,
    pub which_past_positions_matter: &'static str,
    pub steps_back: &'static str,
    pub weight: &'static str,
    pub most_popular: &'static str,
    pub markov: &'static str,
    pub claim: fn(&SequencesClaim) -> String,
}

/// The calibrated-ranking demo.
pub struct CalibrationWords {
    pub days: &'static str,
    pub lists_per_day: &'static str,
    pub items_per_list: &'static str,
    pub features: &'static str,
    pub hidden: &'static str,
    pub steps: &'static str,
    pub learning_rate: &'static str,
    pub drift: &'static str,
    pub y0: &'static str,
    pub alpha: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub what_authors_report: &'static str,
    pub paper: &'static str,
    pub claim_column: &'static str,
    pub listwise_losses_give_uncalibrated: &'static str,
    pub rcr_is_calibrated_logloss: &'static str,
    pub teams_channel: &'static str,
    pub reproduced_on_our_friend: &'static str,
    pub papers_report_this_on: &'static str,
    pub metrics_per_loss_this: &'static str,
    pub loss: &'static str,
    pub spread_daily_mean: &'static str,
    pub ndcg_10_is_mean: &'static str,
    pub each_days_mean_score: &'static str,
    pub channel_posts_picture_without: &'static str,
    pub day_axis: &'static str,
    pub mean_held_out_score: &'static str,
    pub mean_score: &'static str,
    pub score_distribution_per_day: &'static str,
    pub score: &'static str,
    pub softmax: &'static str,
    pub calibrated_softmax: &'static str,
    pub sigmoid: &'static str,
    pub rcr: &'static str,
    pub claim: fn(&CalibrationClaim) -> String,
}

/// DLRM with continual learning.
pub struct DlrmWords {
    pub days: &'static str,
    pub samples_per_day: &'static str,
    pub dense: &'static str,
    pub fields: &'static str,
    pub ids_per_field: &'static str,
    pub new_id_share: &'static str,
    pub drift: &'static str,
    pub embedding_dim: &'static str,
    pub table_rows: &'static str,
    pub hidden: &'static str,
    pub learning_rate: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub torchrecs_reference_on_criteo: &'static str,
    pub what: &'static str,
    pub torchrecs_dlrm_one_epoch: &'static str,
    pub mlperf_target: &'static str,
    pub their_numbers_are_on: &'static str,
    pub per_day_each_tested: &'static str,
    pub day_column: &'static str,
    pub trained_samples_continual_full: &'static str,
    pub table_occupancy: &'static str,
    pub evictions: &'static str,
    pub training_speed_on_one: &'static str,
    pub samples_per_second_unit: &'static str,
    pub day_axis: &'static str,
    pub auc_on_next_day: &'static str,
    pub logloss_on_next_day: &'static str,
    pub training_cost_per_day: &'static str,
    pub samples_axis: &'static str,
    pub continual_models_embedding_tables: &'static str,
    pub rows_in_use_evictions: &'static str,
    pub occupancy: &'static str,
    pub evictions_thousands: &'static str,
    pub trained_once: &'static str,
    pub continual: &'static str,
    pub full_retrain: &'static str,
    pub claim: fn(&DlrmClaim) -> String,
}

/// Performative recommendation.
pub struct PerformativeWords {
    pub seeds: &'static str,
    pub users: &'static str,
    pub items: &'static str,
    pub list: &'static str,
    pub clusters: &'static str,
    pub spread: &'static str,
    pub strength: &'static str,
    pub lambda: &'static str,
    pub temperature: &'static str,
    pub sinkhorn_iterations: &'static str,
    pub rounds: &'static str,
    pub steps: &'static str,
    pub learning_rate: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub authors_synthetic_setting: &'static str,
    pub what: &'static str,
    pub authors: &'static str,
    pub content_dimension: &'static str,
    pub users_items_list_length: &'static str,
    pub loss: &'static str,
    pub ndcg_neuralsort_diversity_after: &'static str,
    pub result: &'static str,
    pub diversity_higher_with_0: &'static str,
    pub their_setting_and_finding: &'static str,
    pub per_round_mean_over: &'static str,
    pub round_column: &'static str,
    pub diversity_0: &'static str,
    pub diversity: &'static str,
    pub diversity_is_mean_distance: &'static str,
    pub run_time: &'static str,
    pub seconds_unit: &'static str,
    pub lambda_zero: &'static str,
    pub round_axis: &'static str,
    pub diversity_content_after_response: &'static str,
    pub ndcg_list_on_content: &'static str,
    pub start_users_tastes_and: &'static str,
    pub users_label: &'static str,
    pub items_label: &'static str,
    pub items_after_response_round: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub claim: fn(&PerformativeClaim) -> String,
}

/// The two calculators: the KV cache and LiDB's size.
pub struct SizesWords {
    pub layers: &'static str,
    pub query_heads: &'static str,
    pub kv_heads: &'static str,
    pub head_dim: &'static str,
    pub bytes_per_value: &'static str,
    pub sequence_length: &'static str,
    pub batch: &'static str,
    pub rank: &'static str,
    pub a: &'static str,
    pub b: &'static str,
    pub adapter_bytes_per_value: &'static str,
    pub cache_title: &'static str,
    pub cache_idea: &'static str,
    pub adapters_title: &'static str,
    pub adapters_idea: &'static str,
    pub llama_2s_ablation_30b: &'static str,
    pub attention: &'static str,
    pub mean: &'static str,
    pub authors_numbers_demo_gqa: &'static str,
    pub kv_cache: &'static str,
    pub per_token: &'static str,
    pub per_batch_sequences: &'static str,
    pub n2_key_and_value: &'static str,
    pub batchs_kv_cache_by: &'static str,
    pub tokens: &'static str,
    pub what_hyperdreambooths_authors_report: &'static str,
    pub adapter: &'static str,
    pub parameters: &'static str,
    pub size: &'static str,
    pub their_count_covers_their: &'static str,
    pub trainable_parameters_on_sd: &'static str,
    pub method: &'static str,
    pub bytes: &'static str,
    pub full_fine_tuning_these: &'static str,
    pub experiment_that_teaches_tiny: &'static str,
    pub cache_claim: fn(&CacheClaim) -> String,
    pub adapters_claim: fn(&AdaptersClaim) -> String,
}

/// GQA, trained.
pub struct GqaWords {
    pub pairs: &'static str,
    pub questions: &'static str,
    pub keys: &'static str,
    pub values: &'static str,
    pub model: &'static str,
    pub heads: &'static str,
    pub layers: &'static str,
    pub steps: &'static str,
    pub batch: &'static str,
    pub learning_rate: &'static str,
    pub uptrain_steps: &'static str,
    pub decode_context: &'static str,
    pub decode_tokens: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub models: &'static str,
    pub attention: &'static str,
    pub kv_heads_column: &'static str,
    pub loss_held_out: &'static str,
    pub answer_accuracy: &'static str,
    pub cache_per_token: &'static str,
    pub cache_at_context: &'static str,
    pub tokens_per_second_column: &'static str,
    pub training: &'static str,
    pub mha_gqa_key_and: &'static str,
    pub speed_greedy_cached_decoding: &'static str,
    pub training_loss: &'static str,
    pub step_: &'static str,
    pub loss_nats: &'static str,
    pub decoding_speed_at_context: &'static str,
    pub kv_heads_axis: &'static str,
    pub tokens_per_second_axis: &'static str,
    pub one_sequences_cache_at: &'static str,
    pub mib: &'static str,
    pub cache: &'static str,
    pub paper_note: &'static str,
    pub claim: fn(&GqaClaim) -> String,
}

/// LiDB, trained.
pub struct LidbWords {
    pub entities: &'static str,
    pub relations: &'static str,
    pub attributes: &'static str,
    pub facts_per_sentence: &'static str,
    pub model: &'static str,
    pub heads: &'static str,
    pub layers: &'static str,
    pub pretrain_steps: &'static str,
    pub batch: &'static str,
    pub pretrain_learning_rate: &'static str,
    pub examples: &'static str,
    pub tune_steps: &'static str,
    pub full_learning_rate: &'static str,
    pub lora_learning_rate: &'static str,
    pub lidb_learning_rate: &'static str,
    pub rank: &'static str,
    pub a: &'static str,
    pub b: &'static str,
    pub title: &'static str,
    pub idea: &'static str,
    pub ways_to_fine_tune: &'static str,
    pub method: &'static str,
    pub trainable_numbers: &'static str,
    pub bytes: &'static str,
    pub subject_loss: &'static str,
    pub subject_accuracy: &'static str,
    pub accuracy_on_old_facts: &'static str,
    pub drift_loss_on_old: &'static str,
    pub time: &'static str,
    pub the_model: &'static str,
    pub weights_after_pretraining_accuracy: &'static str,
    pub pretraining_took: &'static str,
    pub seconds_unit: &'static str,
    pub loss_while_fine_tuning: &'static str,
    pub step_: &'static str,
    pub loss_nats: &'static str,
    pub paper_note: &'static str,
    pub full_fine_tuning: &'static str,
    pub claim: fn(&LidbClaim) -> String,
}

/// What the calibration claim sentence says.
pub struct CalibrationClaim {
    pub spread_ratio: f64,
    pub ndcg_gap: f64,
    pub verdict: &'static str,
}

/// What the DLRM claim sentence says: mean AUCs, the share of full retraining's cost.
pub struct DlrmClaim {
    pub stale: f64,
    pub continual: f64,
    pub full: f64,
    pub cost_share: f64,
    pub verdict: &'static str,
}

/// What the trained-GQA claim sentence says.
pub struct GqaClaim {
    pub close_loss: f64,
    pub cache_ratio: f64,
    pub mha_loss: f64,
    pub gqa_loss: f64,
    pub mqa_loss: f64,
    pub chance_loss: f64,
    pub context: u64,
    pub gqa_cache: String,
    pub mha_cache: String,
    pub verdict: &'static str,
    pub gqa_speed: f64,
    pub mha_speed: f64,
    pub speedup: f64,
}

/// What the trained-LiDB claim sentence says (accuracies and margins in percent).
pub struct LidbClaim {
    pub close_points: f64,
    pub lidb_accuracy: f64,
    pub lora_accuracy: f64,
    pub lidb_bytes: u64,
    pub lora_bytes: u64,
    pub fewer: f64,
    pub bytes_per_matrix: u64,
    pub matrices: u64,
    pub verdict: &'static str,
}

/// What the performative-recommendation claim sentence says; the yes/no
/// parts are already words.
pub struct PerformativeClaim {
    pub rounds: u64,
    pub with_term: f64,
    pub without_term: f64,
    pub lambda: f64,
    pub separated: &'static str,
    pub ndcg_cost: f64,
    pub small_cost: f64,
    pub cost_small: &'static str,
    pub initial: f64,
    pub homogenised: &'static str,
    pub verdict: &'static str,
}

/// HR@10 of the three models the sequences claim compares.
pub struct SequencesClaim {
    pub ga_satf: f64,
    pub pure_svd: f64,
    pub most_popular: f64,
    pub verdict: &'static str,
}

/// The KV-cache calculator's sentence; sizes already in words ("2.5 MiB").
pub struct CacheClaim {
    pub gqa_per_token: String,
    pub mha_per_token: String,
    pub ratio: f64,
    pub length: u64,
    pub gqa_per_sequence: String,
    pub mha_per_sequence: String,
}

/// The LiDB size calculator's sentence.
pub struct AdaptersClaim {
    pub lidb_parameters: u64,
    pub lidb_bytes: String,
    pub lora_parameters: u64,
    pub lora_bytes: String,
    pub ratio: f64,
    pub bytes_per_matrix: u64,
}
