//! Python's `random.Random`, draw for draw: the shared generator's corpus is a function of
//! the exact sequence of numbers CPython produces, so byte-identical output needs the same
//! Mersenne Twister, the same seeding and the same way of turning 32-bit words into choices.
//!
//! Only what gen_corpus.py calls is here: `random`, `getrandbits` (up to 32 bits), `randrange`,
//! `randint`, `choice`, `choices` with weights, `shuffle` and `sample`. It uses no `gauss` nor
//! `expovariate`.

use crate::sha512::sha512;

const N: usize = 624;
const M: usize = 397;

pub struct PyRandom {
    mt: [u32; N],
    index: usize,
}

impl PyRandom {
    /// `random.Random(s)` for a str: version-2 seeding, which takes the int whose big-endian
    /// bytes are the UTF-8 of `s` followed by its SHA-512 digest.
    pub fn from_str_seed(s: &str) -> Self {
        let mut bytes = s.as_bytes().to_vec();
        bytes.extend_from_slice(&sha512(s.as_bytes()));
        Self::from_big_endian(&bytes)
    }

    /// `random.Random(n)` for a non-negative int.
    #[cfg(test)]
    pub fn from_int_seed(n: u64) -> Self {
        Self::from_big_endian(&n.to_be_bytes())
    }

    /// CPython's `random_seed`: the int's 32-bit words, least significant first, as the key
    /// of `init_by_array` (a zero int is the one-word key [0]).
    fn from_big_endian(bytes: &[u8]) -> Self {
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let significant = &bytes[first..];
        let mut key: Vec<u32> = significant
            .rchunks(4)
            .map(|chunk| chunk.iter().fold(0u32, |w, &b| (w << 8) | u32::from(b)))
            .collect();
        if key.is_empty() {
            key.push(0);
        }
        let mut rng = PyRandom {
            mt: [0; N],
            index: N,
        };
        rng.init_by_array(&key);
        rng
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        for k in 0..N {
            let y = (self.mt[k] & UPPER) | (self.mt[(k + 1) % N] & LOWER);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.mt[k] = self.mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// A float in [0, 1) with 53 random bits, from two words (27 + 26 bits).
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 1 <= k <= 32: the top k bits of one word.
    pub fn getrandbits(&mut self, k: u32) -> u32 {
        debug_assert!((1..=32).contains(&k));
        self.next_u32() >> (32 - k)
    }

    /// `_randbelow(n)`: draws of `n.bit_length()` bits until one is below n.
    pub fn randbelow(&mut self, n: usize) -> usize {
        assert!(n > 0 && n <= u32::MAX as usize, "randbelow({n})");
        let k = usize::BITS - n.leading_zeros();
        loop {
            let r = self.getrandbits(k) as usize;
            if r < n {
                return r;
            }
        }
    }

    /// `randrange(start, stop)` with step 1.
    pub fn randrange(&mut self, start: i64, stop: i64) -> i64 {
        assert!(stop > start, "empty range for randrange({start}, {stop})");
        start + self.randbelow((stop - start) as usize) as i64
    }

    /// `randint(a, b)`: a..=b.
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        self.randrange(a, b + 1)
    }

    /// `choice(seq)`; items are copied out (numbers, `&str`s, tuples of them).
    pub fn choice<T: Copy>(&mut self, seq: &[T]) -> T {
        seq[self.randbelow(seq.len())]
    }

    /// The index `choices(range(len(weights)), weights)[0]` picks: the running sums, added in
    /// order as `itertools.accumulate` does, then `bisect_right` of `random() * total` over
    /// all but the last sum.
    pub fn choices_index(&mut self, weights: &[f64]) -> usize {
        let mut cum = Vec::with_capacity(weights.len());
        let mut total = 0.0;
        for (i, &w) in weights.iter().enumerate() {
            total = if i == 0 { w } else { total + w };
            cum.push(total);
        }
        let x = self.random() * total;
        let (mut lo, mut hi) = (0, weights.len() - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if x < cum[mid] {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// Fisher-Yates from the end, as `random.shuffle` does.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow(i + 1);
            x.swap(i, j);
        }
    }

    /// `sample(population, k)`: a partial shuffle of a copy for small populations, rejection
    /// of repeated indices for large ones (CPython picks by comparing against a set's size).
    pub fn sample<T: Clone>(&mut self, population: &[T], k: usize) -> Vec<T> {
        let n = population.len();
        assert!(k <= n, "sample larger than population");
        let mut setsize = 21usize;
        if k > 5 {
            let exponent = ((k * 3) as f64).ln() / 4f64.ln();
            setsize += 4usize.pow(exponent.ceil() as u32);
        }
        let mut result = Vec::with_capacity(k);
        if n <= setsize {
            let mut pool = population.to_vec();
            for i in 0..k {
                let j = self.randbelow(n - i);
                result.push(pool[j].clone());
                pool[j] = pool[n - i - 1].clone();
            }
        } else {
            let mut selected = std::collections::HashSet::new();
            for _ in 0..k {
                let mut j = self.randbelow(n);
                while selected.contains(&j) {
                    j = self.randbelow(n);
                }
                selected.insert(j);
                result.push(population[j].clone());
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::PyRandom;

    // Expected values printed by CPython 3.11 for the same calls in the same order.

    #[test]
    fn str_seed_matches_cpython() {
        let mut r = PyRandom::from_str_seed("digest-corpus/42/0");
        let words: Vec<u32> = (0..3).map(|_| r.getrandbits(32)).collect();
        assert_eq!(words, [613063130, 1325142630, 3295882442]);
        assert_eq!(r.random(), 0.5875248095976711);
        assert_eq!(r.randrange(0, 1096), 449);
        assert_eq!(r.randint(400, 1170), 551);
        let mut x: Vec<u32> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, [7, 1, 2, 0, 9, 4, 8, 5, 3, 6]);
        // 29 items: the set branch of sample; 12 items and k = 6: the pool branch.
        let range: Vec<u32> = (1..30).collect();
        assert_eq!(r.sample(&range, 3), [10, 3, 15]);
        let letters: Vec<char> = "abcdefghijkl".chars().collect();
        assert_eq!(r.sample(&letters, 6), ['d', 'i', 'l', 'g', 'a', 'k']);
        let weights: Vec<f64> = (1..6).map(|k| 1.0 / f64::from(k).powf(1.05)).collect();
        assert_eq!(r.choices_index(&weights), 3);
    }

    #[test]
    fn int_seed_matches_cpython() {
        let mut r = PyRandom::from_int_seed(42);
        assert_eq!(
            [r.getrandbits(32), r.getrandbits(32)],
            [2746317213, 478163327]
        );
        assert_eq!(r.random(), 0.025010755222666936);
        // A two-word key.
        let mut r = PyRandom::from_int_seed((1 << 40) + 5);
        assert_eq!(r.getrandbits(32), 2166296868);
    }
}
