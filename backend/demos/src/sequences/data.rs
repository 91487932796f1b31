//! Interaction sequences: the seeded "series-chain" generator, the visitor's
//! own `user,item,timestamp` CSV, and the leave-last-out split.

use serde::{Deserialize, Serialize};

use crate::random::{Random, cumulative};

/// Every user's items in time order; item ids are `0..items`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequences {
    pub users: Vec<Vec<u32>>,
    pub items: usize,
}

/// How the synthetic users behave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Generator {
    pub users: usize,
    pub items: usize,
    /// Items are split into this many clusters; each cluster's items form an ordered chain.
    pub clusters: usize,
    pub min_length: usize,
    pub max_length: usize,
    /// Chance that the next item continues the chain (the sequential signal).
    pub p_next: f64,
    /// Chance that it is any item of a cluster the user likes (taste).
    pub p_taste: f64,
    // Otherwise it is a globally popular item (Zipf, exponent 1.1).
}

impl Default for Generator {
    fn default() -> Self {
        Generator { users: 2000, items: 600, clusters: 12, min_length: 20, max_length: 80, p_next: 0.6, p_taste: 0.3 }
    }
}

impl Generator {
    pub fn generate(&self, seed: u64) -> Sequences {
        let mut random = Random::new(seed);
        let per_cluster = (self.items / self.clusters).max(1);
        let items = per_cluster * self.clusters;
        // Popularity is Zipf over a shuffled order, so popular items are spread over clusters.
        let mut order: Vec<usize> = (0..items).collect();
        random.shuffle(&mut order);
        let mut zipf = vec![0.0; items];
        for (rank, &item) in order.iter().enumerate() {
            zipf[item] = 1.0 / ((rank + 1) as f64).powf(1.1);
        }
        let popular = cumulative(&zipf);
        let users = (0..self.users)
            .map(|_| {
                let taste = cumulative(&random.dirichlet(0.3, self.clusters));
                let length = self.min_length + random.below(self.max_length - self.min_length + 1);
                let mut current = random.pick(&taste) * per_cluster + random.below(per_cluster);
                let mut sequence = Vec::with_capacity(length);
                sequence.push(current as u32);
                for _ in 1..length {
                    let roll = random.uniform();
                    current = if roll < self.p_next {
                        let (cluster, place) = (current / per_cluster, current % per_cluster);
                        cluster * per_cluster + (place + 1) % per_cluster
                    } else if roll < self.p_next + self.p_taste {
                        random.pick(&taste) * per_cluster + random.below(per_cluster)
                    } else {
                        random.pick(&popular)
                    };
                    sequence.push(current as u32);
                }
                sequence
            })
            .collect();
        Sequences { users, items }
    }
}

/// Why an uploaded CSV was refused: 1-based line and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// The line does not have `user,item,timestamp`.
    Columns {
        line: usize,
    },
    /// A user or item id is not a whole number >= 0, or the timestamp is not a number.
    NotANumber {
        line: usize,
        column: &'static str,
    },
    /// An item id above the largest allowed.
    ItemTooLarge {
        line: usize,
        max: usize,
    },
    TooManyRows {
        max: usize,
    },
    /// Too little to learn from: fewer than `min` users with at least 3 interactions.
    TooFewUsers {
        min: usize,
    },
    TooManyUsers {
        max: usize,
    },
}

/// Bounds on an upload, so one file cannot take the server.
#[derive(Debug, Clone, Copy)]
pub struct CsvLimits {
    pub max_rows: usize,
    pub max_item_id: usize,
    pub min_users: usize,
    pub max_users: usize,
}

impl Sequences {
    /// Reads `user,item,timestamp` lines (a header line is allowed). Items
    /// keep their ids (`0..=max id`), users are ordered by id, each user's
    /// items by time (ties by item id). Users with fewer than 3 interactions
    /// are dropped: leave-last-out needs a history and a target.
    pub fn from_csv(text: &str, limits: CsvLimits) -> Result<Sequences, CsvError> {
        let mut rows: Vec<(u64, f64, u32)> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || (index == 0 && !raw.starts_with(|c: char| c.is_ascii_digit())) {
                continue;
            }
            if rows.len() == limits.max_rows {
                return Err(CsvError::TooManyRows { max: limits.max_rows });
            }
            let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
            let [user, item, time] = fields[..] else { return Err(CsvError::Columns { line }) };
            let user = user.parse::<u64>().map_err(|_| CsvError::NotANumber { line, column: "user" })?;
            let item = item.parse::<u64>().map_err(|_| CsvError::NotANumber { line, column: "item" })?;
            let time = time
                .parse::<f64>()
                .ok()
                .filter(|t| t.is_finite())
                .ok_or(CsvError::NotANumber { line, column: "timestamp" })?;
            if item > limits.max_item_id as u64 {
                return Err(CsvError::ItemTooLarge { line, max: limits.max_item_id });
            }
            rows.push((user, time, item as u32));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let items = rows.iter().map(|r| r.2 as usize + 1).max().unwrap_or(0);
        let users: Vec<Vec<u32>> = rows
            .chunk_by(|a, b| a.0 == b.0)
            .map(|user| user.iter().map(|r| r.2).collect::<Vec<u32>>())
            .filter(|items| items.len() >= 3)
            .collect();
        if users.len() < limits.min_users {
            return Err(CsvError::TooFewUsers { min: limits.min_users });
        }
        if users.len() > limits.max_users {
            return Err(CsvError::TooManyUsers { max: limits.max_users });
        }
        Ok(Sequences { users, items })
    }

    /// The data as `user,item,timestamp` (the timestamp is the step), for the
    /// numpy reference or the visitor's own tools.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("user,item,timestamp\n");
        for (user, items) in self.users.iter().enumerate() {
            for (step, item) in items.iter().enumerate() {
                out.push_str(&format!("{user},{item},{step}\n"));
            }
        }
        out
    }

    pub fn interactions(&self) -> usize {
        self.users.iter().map(Vec::len).sum()
    }

    /// Leave-last-out: every user's last item is held out as the target.
    pub fn split_last(&self) -> (Vec<&[u32]>, Vec<u32>) {
        self.users.iter().filter_map(|s| s.split_last()).map(|(last, history)| (history, *last)).unzip()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: CsvLimits = CsvLimits { max_rows: 100, max_item_id: 50, min_users: 1, max_users: 2 };

    #[test]
    fn generated_chains_continue_with_the_chance_asked_for() {
        let generator =
            Generator { users: 300, items: 60, clusters: 6, min_length: 20, max_length: 30, p_next: 0.6, p_taste: 0.3 };
        let data = generator.generate(5);
        assert_eq!(data, generator.generate(5));
        assert_eq!(data.users.len(), 300);
        assert!(data.users.iter().all(|s| (20..=30).contains(&s.len())));
        let (mut steps, mut continued) = (0, 0);
        for s in &data.users {
            for pair in s.windows(2) {
                steps += 1;
                let (a, b) = (pair[0] as usize, pair[1] as usize);
                continued += usize::from(b / 10 == a / 10 && b % 10 == (a % 10 + 1) % 10);
            }
        }
        // 0.6 by the chain, plus the small chance that a jump lands on the next item.
        let share = continued as f64 / steps as f64;
        assert!((0.6..0.66).contains(&share), "{share}");
    }

    #[test]
    fn csv_round_trips_and_sorts_by_time() {
        let text = "user,item,timestamp\n7,3,20\n7,1,10\n7,2,30\n2,4,1\n2,5,2\n2,6,3\n9,1,1\n";
        let data = Sequences::from_csv(text, LIMITS).unwrap();
        // User 9 has one interaction: dropped. Users by id, items by time.
        assert_eq!(data.users, vec![vec![4, 5, 6], vec![1, 3, 2]]);
        assert_eq!(data.items, 7);
        let again = Sequences::from_csv(&data.to_csv(), LIMITS).unwrap();
        assert_eq!(again, data);
        let (history, targets) = data.split_last();
        assert_eq!(history, vec![&[4u32, 5][..], &[1, 3][..]]);
        assert_eq!(targets, vec![6, 2]);
    }

    #[test]
    fn malformed_csv_names_the_line_and_the_problem() {
        let bad = |text: &str| Sequences::from_csv(text, LIMITS).unwrap_err();
        assert_eq!(bad("1,2,3\n1,2\n"), CsvError::Columns { line: 2 });
        assert_eq!(bad("user,item,timestamp\n1,x,3\n"), CsvError::NotANumber { line: 2, column: "item" });
        assert_eq!(bad("1,2,3\n-1,2,3\n"), CsvError::NotANumber { line: 2, column: "user" });
        assert_eq!(bad("1,2,nan\n"), CsvError::NotANumber { line: 1, column: "timestamp" });
        assert_eq!(bad("1,51,3\n"), CsvError::ItemTooLarge { line: 1, max: 50 });
        assert_eq!(bad(&"1,2,3\n".repeat(101)), CsvError::TooManyRows { max: 100 });
        assert_eq!(bad("1,2,3\n1,3,4\n"), CsvError::TooFewUsers { min: 1 });
        assert_eq!(
            bad(&(0..3).map(|u| format!("{u},1,1\n{u},2,2\n{u},3,3\n")).collect::<String>()),
            CsvError::TooManyUsers { max: 2 }
        );
    }
}
