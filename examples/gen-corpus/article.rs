//! One article from its own random stream, seeded with "digest-corpus/{seed}/{index}", so the
//! corpus of N articles is a prefix of any larger one. Every draw happens in the order
//! gen_corpus.py makes it: reordering two calls changes every byte that follows.

use std::collections::HashMap;

use crate::pools::*;
use crate::pyrandom::PyRandom;
use crate::text::{
    collapse_double_periods, is_alpha, slugify, strip_final_double_period, thousands, word_count,
};

pub struct Article {
    pub title: String,
    pub date: Date,
    pub authors: Vec<String>,
    pub summary: String,
    pub companies: Vec<&'static str>,
    pub regulations: Vec<&'static str>,
    pub tags: Vec<&'static str>,
    pub source_name: &'static str,
    pub source_url: String,
    pub body: String,
    /// Unique within the corpus once it has gone through [`SlugRegistry::claim`].
    pub slug: String,
}

impl Article {
    pub fn filename(&self) -> String {
        format!("{}-{}.md", self.date.iso(), self.slug)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// 2022-01-01 plus `days`.
    fn from_start(mut days: u32) -> Date {
        let mut year = 2022;
        loop {
            let len = if is_leap(year) { 366 } else { 365 };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let mut month = 1;
        loop {
            let len = month_len(year, month);
            if days < len {
                break;
            }
            days -= len;
            month += 1;
        }
        Date {
            year,
            month,
            day: days + 1,
        }
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_len(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 2022-01-01 to 2024-12-31, both included.
const SPAN_DAYS: i64 = 365 + 365 + 366;

/// The weights the pools are drawn with, computed once per corpus.
pub struct Weights {
    companies: Vec<f64>,
    regulations: Vec<f64>,
    tags: Vec<f64>,
    stories: Vec<f64>,
}

impl Weights {
    pub fn new() -> Self {
        Weights {
            companies: zipf_weights(COMPANIES.len(), 1.05),
            regulations: zipf_weights(REGULATIONS.len(), 0.9),
            tags: zipf_weights(TAGS.len(), 0.8),
            stories: STORIES.iter().map(|s| f64::from(s.weight)).collect(),
        }
    }
}

/// 1/k^s for k = 1..=n. `powf` and Python's `**` both call the C library's `pow`.
fn zipf_weights(n: usize, s: f64) -> Vec<f64> {
    (1..=n).map(|k| 1.0 / (k as f64).powf(s)).collect()
}

/// k distinct items, each drawn with the weights of the items still left.
fn weighted_sample(
    rng: &mut PyRandom,
    pool: &[&'static str],
    weights: &[f64],
    k: usize,
) -> Vec<&'static str> {
    let mut idx: Vec<usize> = (0..pool.len()).collect();
    let mut w = weights.to_vec();
    let mut chosen = Vec::with_capacity(k);
    for _ in 0..k.min(pool.len()) {
        let i = rng.choices_index(&w);
        chosen.push(pool[idx[i]]);
        idx.remove(i);
        w.remove(i);
    }
    chosen
}

/// `choices(values, weights)[0]` for small integer weights.
fn weighted<T: Copy>(rng: &mut PyRandom, values: &[T], weights: &[u32]) -> T {
    let w: Vec<f64> = weights.iter().map(|&w| f64::from(w)).collect();
    values[rng.choices_index(&w)]
}

fn domain_for(name: &str) -> String {
    slugify(name).replace('-', "") + ".com"
}

/// Fills `{slot}`s: the article's fixed values first, otherwise a fresh draw per use.
#[derive(Clone)]
struct Filler {
    fixed: Vec<(&'static str, String)>,
}

impl Filler {
    fn get(&self, key: &str) -> Option<&str> {
        self.fixed
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, key: &'static str, value: String) {
        match self.fixed.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.fixed.push((key, value)),
        }
    }

    /// `re.sub(r"\{([a-z_0-9]+)\}", ...)`: anything else in braces stays as it is.
    fn fill(&self, rng: &mut PyRandom, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
                .count();
            if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
                let key = &after[..name_len];
                match self.get(key) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&self.fresh(rng, key)),
                }
                rest = &after[name_len + 1..];
            } else {
                out.push('{');
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    fn fresh(&self, r: &mut PyRandom, key: &str) -> String {
        match key {
            "pct" => r
                .choice(&[3, 5, 7, 8, 10, 12, 15, 18, 20, 25, 30, 40, 45, 60])
                .to_string(),
            "num" => r.randint(2, 95).to_string(),
            "small" => r.randint(2, 9).to_string(),
            "trial" => r.choice(&[7, 14, 30, 60, 90]).to_string(),
            "money" => r
                .choice(&[12, 40, 65, 110, 150, 240, 300, 450, 600, 750, 1200])
                .to_string(),
            "bn" => r
                .choice(&[
                    "1.2", "2", "3.5", "4", "6.6", "10", "13", "20", "40", "80", "100",
                ])
                .to_string(),
            "price" => r
                .choice(&[
                    "0.15", "0.40", "1.25", "2.50", "3", "8", "15", "19.99", "49",
                ])
                .to_string(),
            "nm" => r.choice(&[3, 5, 7, 14]).to_string(),
            "city" => r.choice(CITIES).to_string(),
            "analyst" => r.choice(ANALYST_FIRMS).to_string(),
            "month" => r.choice(MONTHS).to_string(),
            "day" => r.randint(1, 28).to_string(),
            "quarter" => r.choice(QUARTERS).to_string(),
            "role" => r.choice(ROLES).to_string(),
            // A year at or after the article's.
            "year" => {
                let ayear: i64 = self
                    .get("ayear")
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(2022);
                (ayear + r.choice(&[0, 1, 1, 2, 3])).to_string()
            }
            "founded" => r.randint(2012, 2022).to_string(),
            "cve" => r.randint(10000, 49999).to_string(),
            "cvss" => r
                .choice(&["7.5", "8.1", "8.8", "9.1", "9.8", "10.0"])
                .to_string(),
            "arxiv" => {
                let year = r.randint(22, 24);
                let month = r.randint(1, 12);
                let number = r.randint(1000, 19999);
                format!("{year}{month:02}.{number:05}")
            }
            "market" => r.choice(MARKETS).to_string(),
            "unit" | "unit2" => r.choice(UNITS).to_string(),
            "regulator" => r.choice(REGULATORS).to_string(),
            "regulator_cap" => {
                let v = r.choice(REGULATORS);
                let mut chars = v.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            "device" => r.choice(DEVICES).to_string(),
            "software" => r.choice(SOFTWARE).to_string(),
            "feature" => r.choice(FEATURES).to_string(),
            "component" => r.choice(COMPONENTS).to_string(),
            "thing" => r.choice(THINGS).to_string(),
            // The pools are ours: a slot without a value is a mistake in them.
            _ => panic!("gen-corpus: no value for slot {{{key}}}"),
        }
    }
}

fn make_model_name(rng: &mut PyRandom) -> String {
    let prefix = rng.choice(MODEL_PREFIXES);
    let version = rng.choice(&["2", "2.5", "3", "3.5", "4", "4o", "5", "V3", "R2", "K2"]);
    if rng.random() < 0.5 {
        format!("{prefix} {version} {}", rng.choice(MODEL_SUFFIXES))
    } else {
        format!("{prefix} {version}")
    }
}

/// The body's random state: the stream, the slot values and the deck of sentences.
struct BodyWriter {
    rng: PyRandom,
    fill: Filler,
    pool: Vec<&'static str>,
    /// Sentences drawn without replacement; reshuffled from the pool when empty.
    deck: Vec<&'static str>,
}

impl BodyWriter {
    fn fill(&mut self, template: &str) -> String {
        self.fill.fill(&mut self.rng, template)
    }

    fn sentence(&mut self) -> String {
        if self.deck.is_empty() {
            self.deck.extend_from_slice(&self.pool);
            self.rng.shuffle(&mut self.deck);
        }
        let template = self.deck.pop().unwrap_or_default();
        let mut t = self.fill(template);
        let openable = ["The ", "A ", "Some ", "Analysts ", "Investors "]
            .iter()
            .any(|p| t.starts_with(p));
        if self.rng.random() < 0.15 && openable {
            let opener = self.rng.choice(OPENERS);
            let mut chars = t.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            t = format!("{opener}{}{}", first.unwrap_or_default(), chars.as_str());
        }
        self.emphasize(collapse_double_periods(&t))
    }

    /// Now and then wraps one long plain word (not the first or last) in `*` or `**`.
    fn emphasize(&mut self, sentence: String) -> String {
        if self.rng.random() > 0.12 {
            return sentence;
        }
        let mut words: Vec<String> = sentence.split(' ').map(str::to_string).collect();
        let candidates: Vec<usize> = (1..words.len().saturating_sub(1))
            .filter(|&i| is_alpha(&words[i]) && words[i].chars().count() > 5)
            .collect();
        if candidates.is_empty() {
            return sentence;
        }
        let i = self.rng.choice(&candidates);
        let mark = if self.rng.random() < 0.4 { "**" } else { "*" };
        words[i] = format!("{mark}{}{mark}", words[i]);
        words.join(" ")
    }

    /// `k` sentences, or 3 to 6 when not given.
    fn paragraph(&mut self, k: Option<i64>) -> String {
        let k = match k {
            Some(k) => k,
            None => self.rng.randint(3, 6),
        };
        (0..k)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn link_sentence(&mut self) -> String {
        let (phrase, url) = self.rng.choice(LINK_PHRASES);
        let template = self
            .rng
            .choice(LINK_SENTENCES)
            .replace("{link}", &format!("[{phrase}]({url})"));
        self.fill(&template)
    }
}

pub fn gen_article(seed: i64, index: usize, weights: &Weights) -> Article {
    let mut rng = PyRandom::from_str_seed(&format!("digest-corpus/{seed}/{index}"));
    let story = &STORIES[rng.choices_index(&weights.stories)];

    let n_companies = weighted(&mut rng, &[1, 2, 3, 4], &[35, 35, 20, 10]);
    let companies = weighted_sample(&mut rng, COMPANIES, &weights.companies, n_companies);
    let mut n_reg = weighted(&mut rng, &[0, 1, 2], &[45, 40, 15]);
    if story.key == "regulation" && n_reg == 0 {
        n_reg = 1;
    }
    let regulations = weighted_sample(&mut rng, REGULATIONS, &weights.regulations, n_reg);
    let n_tags = weighted(&mut rng, &[1, 2, 3, 4], &[20, 35, 30, 15]);
    let mut tags = vec![rng.choice(story.tags)];
    for t in weighted_sample(&mut rng, TAGS, &weights.tags, n_tags) {
        if tags.len() >= n_tags {
            break;
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }

    let co = companies[0];
    let co2 = match companies.get(1) {
        Some(&c) => c,
        None => {
            let others: Vec<&str> = COMPANIES[..40]
                .iter()
                .copied()
                .filter(|&c| c != co)
                .collect();
            rng.choice(&others)
        }
    };
    let reg = match regulations.first() {
        Some(&r) => r,
        None => rng.choice(&REGULATIONS[..12]),
    };
    let model = make_model_name(&mut rng);
    let date = Date::from_start(rng.randrange(0, SPAN_DAYS) as u32);
    let (pub_name, pub_domain) = rng.choice(PUBLICATIONS);
    let ctx: u64 = rng.choice(&[32, 128, 200, 256, 1000]);

    let project = rng.choice(PROJECTS);
    let investor = rng.choice(INVESTORS);
    let regdomain = rng.choice(REG_DOMAINS);
    let mut fill = Filler {
        fixed: vec![
            ("co", co.to_string()),
            ("co2", co2.to_string()),
            ("reg", reg.to_string()),
            ("model", model.clone()),
            ("ayear", date.year.to_string()),
            ("project", project.to_string()),
            ("codomain", domain_for(co)),
            ("investor", investor.to_string()),
            (
                "ctxk",
                if ctx == 1000 {
                    "1M".to_string()
                } else {
                    format!("{ctx}K")
                },
            ),
            ("ctxn", thousands(ctx * 1000)),
            ("ctxraw", (ctx * 1000).to_string()),
            ("pubdomain", pub_domain.to_string()),
            ("regdomain", regdomain.to_string()),
        ],
    };
    let title_template = rng.choice(story.titles);
    let title = fill.fill(&mut rng, title_template);
    let slug = slugify(&title);
    fill.set("slug", slug.clone());
    let summary_template = rng.choice(story.summaries);
    let summary = strip_final_double_period(fill.fill(&mut rng, summary_template));

    let n_authors = weighted(&mut rng, &[1, 2], &[70, 30]);
    let mut authors: Vec<String> = Vec::new();
    while authors.len() < n_authors {
        let first = rng.choice(FIRST_NAMES);
        let last = rng.choice(LAST_NAMES);
        let author = format!("{first} {last}");
        if !authors.contains(&author) {
            authors.push(author);
        }
    }

    let source_url = format!(
        "https://{pub_domain}/{}/{:02}/{:02}/{slug}",
        date.year, date.month, date.day
    );

    // ------------------------------------------------------------------------------- body
    let target = rng.randint(400, 1170);
    let n_sections = rng.randint(1, 3);
    let pool = [story.sentences, GENERAL_SENTENCES].concat();
    let mut w = BodyWriter {
        rng,
        fill,
        pool,
        deck: Vec::new(),
    };

    let code_p = match story.key {
        "model" | "opensource" => 0.45,
        "security" => 0.25,
        _ => 0.05,
    };
    let has_code = w.rng.random() < code_p;
    let has_table = w.rng.random() < 0.10;
    let has_footnote = w.rng.random() < 0.05;

    // Extras and the section each goes in (0 is the lead section).
    let mut extras: Vec<(i64, String)> = Vec::new();
    let n_bullets = w.rng.randint(3, 6) as usize;
    let bullets = w.rng.sample(BULLET_TEMPLATES, n_bullets);
    let bullets: Vec<String> = bullets
        .into_iter()
        .map(|b| format!("- {}", w.fill(b)))
        .collect();
    extras.push((w.rng.randint(0, n_sections), bullets.join("\n")));

    let q_first = w.rng.choice(FIRST_NAMES);
    let q_last = w.rng.choice(LAST_NAMES);
    let said = w.rng.choice(QUOTES);
    let role = w.fill("{role}");
    let quote = format!("> \u{201c}{said},\u{201d} said {q_first} {q_last}, {role} at {co}.");
    extras.push((w.rng.randint(1, n_sections), quote));

    if has_code {
        let (lang, snippets) = w.rng.choice(CODE_SNIPPETS);
        let pkg = slugify(co).replace('-', "_");
        let mut code_fill = w.fill.clone();
        code_fill.set("pkg_cap", capitalize(&pkg));
        code_fill.set("pkg", pkg);
        code_fill.set("model_id", slugify(&model));
        let snippet = w.rng.choice(snippets);
        // `{{` and `}}` are literal braces: hidden from the slot pattern, then put back.
        let hidden = snippet.replace("{{", "\u{0}").replace("}}", "\u{1}");
        let code = code_fill
            .fill(&mut w.rng, &hidden)
            .replace('\u{0}', "{")
            .replace('\u{1}', "}");
        extras.push((
            w.rng.randint(1, n_sections),
            format!("Here is how a developer might call it:\n\n```{lang}\n{code}\n```"),
        ));
    }

    if has_table {
        let mut rows: Vec<String>;
        if matches!(story.key, "model" | "opensource") {
            rows = vec![
                "| Model | MMLU | HumanEval | Price ($/M tokens) |".to_string(),
                "|---|---:|---:|---:|".to_string(),
            ];
            let names = [
                model.clone(),
                make_model_name(&mut w.rng),
                make_model_name(&mut w.rng),
            ];
            for name in names {
                let (a, b) = (w.rng.randint(60, 92), w.rng.randint(0, 9));
                let (c, d) = (w.rng.randint(40, 95), w.rng.randint(0, 9));
                let price = w.fill("{price}");
                rows.push(format!("| {name} | {a}.{b} | {c}.{d} | {price} |"));
            }
        } else {
            rows = vec![
                "| Segment | Revenue ($bn) | YoY change |".to_string(),
                "|---|---:|---:|".to_string(),
            ];
            let segments = [
                "Cloud",
                "Devices",
                "Advertising",
                "Services",
                "Data center",
                "Gaming",
            ];
            for segment in w.rng.sample(&segments, 4) {
                let (a, b) = (w.rng.randint(1, 60), w.rng.randint(0, 9));
                let sign = w.rng.choice(&["+", "-"]);
                let pct = w.fill("{pct}");
                rows.push(format!("| {segment} | {a}.{b} | {sign}{pct}% |"));
            }
        }
        extras.push((w.rng.randint(1, n_sections), rows.join("\n")));
    }

    // Prose paragraphs fill the word budget left after the extras.
    let budget = target
        - extras
            .iter()
            .map(|(_, text)| word_count(text) as i64)
            .sum::<i64>();
    let mut paras: Vec<String> = Vec::new();
    let mut words: i64 = 0;
    while words < budget - 20 || (paras.len() as i64) < n_sections + 1 {
        let remaining = (budget - words).max(40);
        let k = w.rng.randint(3, 6).min((remaining / 20).max(2));
        let mut para = w.paragraph(Some(k));
        if paras.is_empty() {
            para = w.link_sentence() + " " + &para;
        } else if w.rng.random() < 0.25 {
            para = para + " " + &w.link_sentence();
        }
        words += word_count(&para) as i64;
        paras.push(para);
    }
    // Paragraphs split over the sections, at least one each.
    let starts: Vec<usize> = (1..paras.len()).collect();
    let mut cuts = w.rng.sample(&starts, n_sections as usize);
    cuts.sort_unstable();
    let mut bounds = vec![0];
    bounds.extend(cuts);
    bounds.push(paras.len());

    let headings = w.rng.sample(HEADINGS, n_sections as usize);
    let mut blocks: Vec<String> = Vec::new();
    let mut prose: Vec<usize> = Vec::new(); // where the plain paragraphs are in blocks
    for s in 0..=n_sections as usize {
        if s > 0 {
            blocks.push(format!("## {}", w.fill(headings[s - 1])));
        }
        for para in &paras[bounds[s]..bounds[s + 1]] {
            prose.push(blocks.len());
            blocks.push(para.clone());
        }
        for (section, text) in &extras {
            if *section == s as i64 {
                blocks.push(text.clone());
                words += word_count(text) as i64;
            }
        }
    }
    // Short bodies topped up to at least 400 words.
    while words < 400 {
        let para = w.paragraph(None);
        words += word_count(&para) as i64;
        prose.push(blocks.len());
        blocks.push(para);
    }
    if has_footnote {
        let candidates = if prose.len() > 1 {
            &prose[1..]
        } else {
            &prose[..]
        };
        let k = w.rng.choice(candidates);
        blocks[k].push_str("[^1]");
        let note = w.rng.choice(FOOTNOTES);
        let note = w.fill(note);
        blocks.push(format!("[^1]: {note}"));
    }
    let body = blocks.join("\n\n") + "\n";

    Article {
        title,
        date,
        authors,
        summary,
        companies,
        regulations,
        tags,
        source_name: pub_name,
        source_url,
        body,
        slug,
    }
}

/// Python's `str.capitalize` for ASCII: first letter upper case, the rest lower case.
fn capitalize(s: &str) -> String {
    let mut out = s.to_ascii_lowercase();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// Makes slugs unique in index order: the second "x" becomes "x-2", and so on, skipping
/// numbered slugs already taken.
#[derive(Default)]
pub struct SlugRegistry {
    seen: HashMap<String, usize>,
}

impl SlugRegistry {
    pub fn claim(&mut self, article: &mut Article) {
        let base = article.slug.clone();
        let mut k = self.seen.get(&base).copied().unwrap_or(0) + 1;
        self.seen.insert(base.clone(), k);
        if k > 1 {
            let mut slug = format!("{base}-{k}");
            while self.seen.contains_key(&slug) {
                k += 1;
                slug = format!("{base}-{k}");
            }
            self.seen.insert(slug.clone(), 1);
            self.seen.insert(base, k);
            article.slug = slug;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_span_three_years() {
        assert_eq!(Date::from_start(0).iso(), "2022-01-01");
        assert_eq!(Date::from_start(58).iso(), "2022-02-28");
        assert_eq!(Date::from_start(365 + 365 + 59).iso(), "2024-02-29");
        assert_eq!(Date::from_start(SPAN_DAYS as u32 - 1).iso(), "2024-12-31");
    }

    #[test]
    fn slots_fill_from_fixed_values_and_leave_other_braces() {
        let fill = Filler {
            fixed: vec![("co", "Arm".to_string())],
        };
        let mut rng = PyRandom::from_str_seed("test");
        assert_eq!(
            fill.fill(&mut rng, "{co} {x-y} {} {{co}} {co"),
            "Arm {x-y} {} {Arm} {co"
        );
    }

    #[test]
    fn repeated_slugs_are_numbered_past_taken_ones() {
        let mut registry = SlugRegistry::default();
        let weights = Weights::new();
        let mut claim = |slug: &str| {
            let mut a = gen_article(42, 0, &weights);
            a.slug = slug.to_string();
            registry.claim(&mut a);
            a.slug
        };
        assert_eq!(claim("x"), "x");
        assert_eq!(claim("x-2"), "x-2");
        assert_eq!(claim("x"), "x-3");
        assert_eq!(claim("x"), "x-4");
        assert_eq!(claim("x-2"), "x-2-2");
    }

    #[test]
    fn capitalize_like_python() {
        assert_eq!(capitalize("google_deepmind"), "Google_deepmind");
        assert_eq!(capitalize("01_ai"), "01_ai");
        assert_eq!(capitalize(""), "");
    }
}
