//! Demo: Lightweight DreamBooth (HyperDreamBooth, Ruiz et al. 2023) on a
//! tiny language model. The model is first pretrained on a synthetic
//! language of facts (`entity relation attribute`, a fixed table of
//! attributes); then it is taught a new "subject", a token it never saw,
//! from a few sentences of that subject's facts: by full fine-tuning, by
//! rank-1 LoRA on every projection, and by LiDB (rank-1 trainables between
//! frozen random orthonormal matrices rebuilt from a stored seed). Reported:
//! trainable bytes, the loss on the subject, the drift of the loss on the
//! original facts, and time.

use std::time::Instant;

use candle_core::DType;
use serde::{Deserialize, Serialize};

use crate::progress::{Cancelled, Flow, Halt, Progress};
use crate::random::Random;
use crate::transformer::{AdapterKind, Config, Example, Score, Transformer, loss_curve};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub seed: u64,
    pub entities: usize,
    pub relations: usize,
    pub attributes: usize,
    pub facts_per_sentence: usize,
    pub model: usize,
    pub heads: usize,
    pub layers: usize,
    pub pretrain_steps: usize,
    pub batch: usize,
    pub pretrain_learning_rate: f64,
    /// Sentences about the new subject to learn from.
    pub examples: usize,
    pub tune_steps: usize,
    pub full_learning_rate: f64,
    pub lora_learning_rate: f64,
    /// LiDB's update passes through two orthonormal projections onto a
    /// few directions, so it takes larger steps than LoRA's.
    pub lidb_learning_rate: f64,
    pub rank: usize,
    /// LiDB's auxiliary sizes (a ≤ model, b ≤ model).
    pub a: usize,
    pub b: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 0,
            entities: 24,
            relations: 4,
            attributes: 24,
            facts_per_sentence: 4,
            model: 64,
            heads: 4,
            layers: 2,
            pretrain_steps: 400,
            batch: 32,
            pretrain_learning_rate: 0.004,
            examples: 4,
            tune_steps: 120,
            full_learning_rate: 0.001,
            lora_learning_rate: 0.01,
            lidb_learning_rate: 0.03,
            rank: 1,
            a: 24,
            b: 12,
        }
    }
}

/// The language: entities, then the new subject, then relations, then attributes.
struct Language<'a> {
    params: &'a Params,
    /// The true attribute of (entity or subject, relation).
    table: Vec<Vec<u32>>,
}

impl<'a> Language<'a> {
    fn new(params: &'a Params) -> Self {
        let mut random = Random::new(params.seed ^ 0xfac7);
        let table = (0..=params.entities)
            .map(|_| {
                (0..params.relations)
                    .map(|_| (params.entities + 1 + params.relations + random.below(params.attributes)) as u32)
                    .collect()
            })
            .collect();
        Language { params, table }
    }

    fn subject(&self) -> usize {
        self.params.entities
    }

    fn vocab(&self) -> usize {
        self.params.entities + 1 + self.params.relations + self.params.attributes
    }

    /// A sentence of facts about `who` (each `entity relation attribute`);
    /// the attributes are the counted predictions.
    fn sentence(&self, who: &mut dyn FnMut(&mut Random) -> usize, random: &mut Random) -> (Vec<u32>, Vec<usize>) {
        let mut sequence = Vec::new();
        let mut answers = Vec::new();
        for _ in 0..self.params.facts_per_sentence {
            let entity = who(random);
            let relation = random.below(self.params.relations);
            sequence.extend([entity as u32, (self.params.entities + 1 + relation) as u32]);
            answers.push(sequence.len());
            sequence.push(self.table[entity][relation]);
        }
        (sequence, answers)
    }

    /// Facts about the old entities only.
    fn original(&self, random: &mut Random) -> Example {
        let entities = self.params.entities;
        let (sequence, answers) = self.sentence(&mut |r| r.below(entities), random);
        Example::predicting(&sequence, &answers)
    }

    /// Facts about the subject only (what it is taught from).
    fn about_subject(&self, random: &mut Random) -> Example {
        let subject = self.subject();
        let (sequence, answers) = self.sentence(&mut |_| subject, random);
        Example::predicting(&sequence, &answers)
    }

    /// The subject's facts among old ones, only the subject's counted (the test).
    fn subject_among_others(&self, random: &mut Random) -> Example {
        let (entities, subject) = (self.params.entities, self.subject());
        let (sequence, answers) =
            self.sentence(&mut |r| if r.bernoulli(0.5) { subject } else { r.below(entities) }, random);
        let answers: Vec<usize> = answers.into_iter().filter(|a| sequence[a - 2] == subject as u32).collect();
        Example::predicting(&sequence, &answers)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub name: String,
    pub trainable_parameters: u64,
    /// f32: 4 bytes per trainable number (LiDB: exactly 4·r·(a+b) per matrix).
    pub trainable_bytes: u64,
    pub subject: Score,
    pub original: Score,
    /// Loss on the original facts after minus before.
    pub drift: f64,
    pub seconds: f64,
    pub curve: Vec<(usize, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub params: Params,
    pub model_parameters: u64,
    pub adapted_matrices: usize,
    pub pretrained_original: Score,
    pub pretrained_subject: Score,
    pub pretrain_seconds: f64,
    /// Full fine-tuning, LoRA, LiDB.
    pub methods: Vec<Method>,
    /// LiDB learns the subject nearly as well as rank-1 LoRA (accuracy on
    /// the subject's facts within `CLOSE`) with fewer trainable bytes.
    pub claim_held: bool,
}

/// How much subject accuracy LiDB may lose to LoRA and still count as "nearly as well".
pub const CLOSE: f64 = 0.05;

pub fn run(params: &Params, progress: &mut dyn FnMut(Progress) -> Flow) -> Result<Report, Halt> {
    let failed = |e: crate::training::Error| Halt::Failed(e.to_string());
    let language = Language::new(params);
    let total = (params.pretrain_steps + 3 * params.tune_steps) as u64;
    let mut done = 0;
    let mut tick = || {
        done += 1;
        if progress(Progress { done, total }) == Flow::Stop { Err(Cancelled) } else { Ok(()) }
    };
    let config = Config {
        vocab: language.vocab(),
        model: params.model,
        heads: params.heads,
        kv_heads: params.heads,
        layers: params.layers,
        hidden: 2 * params.model,
    };
    let mut held_out = Random::new(params.seed ^ 0x7e57);
    let original_test: Vec<Example> = (0..256).map(|_| language.original(&mut held_out)).collect();
    let subject_test: Vec<Example> = (0..256).map(|_| language.subject_among_others(&mut held_out)).collect();

    // Pretraining on the old facts.
    let pretrained = Transformer::new(config, params.seed, DType::F32).map_err(failed)?;
    let mut random = Random::new(params.seed ^ 0x9e7a);
    let started = Instant::now();
    pretrained.fit(
        pretrained.weights(),
        params.pretrain_steps,
        params.pretrain_learning_rate,
        &mut |_| (0..params.batch).map(|_| language.original(&mut random)).collect(),
        &mut tick,
    )?;
    let pretrain_seconds = started.elapsed().as_secs_f64();
    let pretrained_original = pretrained.score(&original_test).map_err(failed)?;
    let pretrained_subject = pretrained.score(&subject_test).map_err(failed)?;

    // The few sentences the subject is taught from (the same for every method).
    let mut random = Random::new(params.seed ^ 0x5b1ec7);
    let examples: Vec<Example> = (0..params.examples).map(|_| language.about_subject(&mut random)).collect();

    let methods = [
        ("full fine-tuning", None, params.full_learning_rate),
        ("LoRA", Some(AdapterKind::Lora { rank: params.rank }), params.lora_learning_rate),
        ("LiDB", Some(AdapterKind::Lidb { rank: params.rank, a: params.a, b: params.b }), params.lidb_learning_rate),
    ];
    let mut results = Vec::new();
    for (name, adapter, learning_rate) in methods {
        let mut model = pretrained.copy().map_err(failed)?;
        let trainable = match adapter {
            None => model.weights(),
            Some(kind) => model.adapt(kind, params.seed ^ 0xa11ce).map_err(failed)?,
        };
        let trainable_parameters: u64 = trainable.iter().map(|v| v.as_tensor().elem_count() as u64).sum();
        let started = Instant::now();
        let losses = model.fit(trainable, params.tune_steps, learning_rate, &mut |_| examples.clone(), &mut tick)?;
        let seconds = started.elapsed().as_secs_f64();
        let original = model.score(&original_test).map_err(failed)?;
        results.push(Method {
            name: name.to_owned(),
            trainable_parameters,
            trainable_bytes: 4 * trainable_parameters,
            subject: model.score(&subject_test).map_err(failed)?,
            drift: original.loss - pretrained_original.loss,
            original,
            seconds,
            curve: loss_curve(&losses),
        });
    }
    let (lora, lidb) = (&results[1], &results[2]);
    let claim_held =
        lidb.subject.accuracy >= lora.subject.accuracy - CLOSE && lidb.trainable_bytes < lora.trainable_bytes;
    Ok(Report {
        params: params.clone(),
        model_parameters: pretrained.size() as u64,
        adapted_matrices: 6 * params.layers,
        pretrained_original,
        pretrained_subject,
        pretrain_seconds,
        methods: results,
        claim_held,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Params {
        Params {
            entities: 8,
            attributes: 8,
            model: 32,
            pretrain_steps: 200,
            batch: 16,
            tune_steps: 40,
            a: 8,
            b: 4,
            ..Params::default()
        }
    }

    #[test]
    fn the_subject_is_learned_and_lidb_trains_exactly_r_a_plus_b_numbers_per_matrix() {
        let params = small();
        let report = run(&params, &mut |_| Flow::Continue).unwrap();
        for m in &report.methods {
            eprintln!(
                "{}: {} bytes, subject loss {:.3} acc {:.2}, drift {:+.3}, {:.2} s",
                m.name, m.trainable_bytes, m.subject.loss, m.subject.accuracy, m.drift, m.seconds
            );
            assert!(m.subject.loss < report.pretrained_subject.loss, "{} taught the subject", m.name);
        }
        let matrices = report.adapted_matrices as u64;
        // 4 bytes × rank 1 × (a + b) per matrix.
        assert_eq!(report.methods[2].trainable_bytes, matrices * 4 * (8 + 4));
        // LoRA rank 1: in + out per matrix (4 of 32x32, one 32x64 and one 64x32 per layer).
        assert_eq!(report.methods[1].trainable_bytes, 4 * 2 * (4 * 64 + 2 * 96));
        assert_eq!(report.methods[0].trainable_parameters, report.model_parameters);
    }

    #[test]
    fn the_test_sentences_count_only_the_subject_s_facts() {
        let params = small();
        let language = Language::new(&params);
        let mut random = Random::new(3);
        for _ in 0..20 {
            let example = language.subject_among_others(&mut random);
            for (t, counted) in example.counted.iter().enumerate() {
                if *counted {
                    assert_eq!(example.tokens[t - 1], language.subject() as u32);
                }
            }
        }
    }
}
