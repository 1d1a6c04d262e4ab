//! Editions: the articles of one ISO week (or one month), in the site's time zone.

use jiff::civil::Date;

use crate::config::EditionKind;
use crate::content::Article;

use super::ArticleId;

#[derive(Debug, Clone)]
pub struct Edition {
    /// `2023-w37` or `2023-09`: the URL segment.
    pub id: String,
    pub title: String,
    pub start: Date,
    pub end: Date,
    /// An ISO week (else a month).
    pub weekly: bool,
    /// Newest first.
    pub articles: Vec<ArticleId>,
}

/// `articles` must be sorted newest first; editions come back newest first too.
pub fn build(kind: EditionKind, articles: &[Article]) -> (Vec<Edition>, Vec<Option<usize>>) {
    let mut editions: Vec<Edition> = Vec::new();
    let mut of_article = vec![None; articles.len()];
    if kind == EditionKind::None {
        return (editions, of_article);
    }
    for (id, article) in articles.iter().enumerate() {
        let date = article.date.date();
        let (key, title, start, end) = match kind {
            EditionKind::Weekly => weekly(date),
            _ => monthly(date),
        };
        if editions.last().is_none_or(|e| e.id != key) {
            editions.push(Edition {
                id: key,
                title,
                start,
                end,
                weekly: kind == EditionKind::Weekly,
                articles: Vec::new(),
            });
        }
        let index = editions.len() - 1;
        editions[index].articles.push(id);
        of_article[id] = Some(index);
    }
    (editions, of_article)
}

/// Titles editions in the site's language, from its `edition_week` and `edition_month`
/// strings (a site's own `i18n/<key>.toml` may reword them); without them, titles stay English.
pub fn retitle(editions: &mut [Edition], strings: &crate::i18n::Strings) {
    for edition in editions {
        let (year, number, month) = if edition.weekly {
            let week = edition.end.iso_week_date();
            (week.year(), week.week(), 0)
        } else {
            (edition.start.year(), 0, edition.start.month())
        };
        let month_name = jiff::fmt::strtime::format("%B", edition.start).unwrap_or_default();
        let template = if edition.weekly {
            "edition_week"
        } else {
            "edition_month"
        };
        let Some(template) = strings.get(template) else {
            continue;
        };
        edition.title = crate::i18n::fill(
            template,
            &[
                ("year", &year.to_string()),
                ("number", &number.to_string()),
                ("month", &month.to_string()),
                ("month_name", &month_name),
            ],
        );
    }
}

fn weekly(date: Date) -> (String, String, Date, Date) {
    let week = date.iso_week_date();
    let (year, number) = (week.year(), week.week());
    let start = date
        .checked_sub(jiff::Span::new().days(i64::from(week.weekday().to_monday_zero_offset())))
        .unwrap_or(date);
    let end = start
        .checked_add(jiff::Span::new().days(6))
        .unwrap_or(start);
    (
        format!("{year}-w{number:02}"),
        format!("Week {number}, {year}"),
        start,
        end,
    )
}

fn monthly(date: Date) -> (String, String, Date, Date) {
    let start = date.first_of_month();
    let end = date.last_of_month();
    let month = jiff::fmt::strtime::format("%B", date).unwrap_or_default();
    (
        format!("{:04}-{:02}", date.year(), date.month()),
        format!("{month} {}", date.year()),
        start,
        end,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso_weeks_cross_year_boundaries() {
        // 2021-01-03 is a Sunday in ISO week 53 of 2020; week 1 of 2021 starts on 4 January.
        let (id, title, start, end) = weekly(date(2021, 1, 3));
        assert_eq!(id, "2020-w53");
        assert_eq!(title, "Week 53, 2020");
        assert_eq!((start, end), (date(2020, 12, 28), date(2021, 1, 3)));
        let (id, _, start, _) = weekly(date(2021, 1, 4));
        assert_eq!(id, "2021-w01");
        assert_eq!(start, date(2021, 1, 4));
        assert_eq!(
            weekly(date(2023, 9, 15)).2.weekday(),
            jiff::civil::Weekday::Monday
        );
    }

    #[test]
    fn months() {
        let (id, title, start, end) = monthly(date(2023, 9, 15));
        assert_eq!((id.as_str(), title.as_str()), ("2023-09", "September 2023"));
        assert_eq!((start, end), (date(2023, 9, 1), date(2023, 9, 30)));
    }
}
