//! The company × regulation matrix: for every pair of terms that share articles, those articles.

use std::collections::BTreeMap;

use super::{ArticleId, Taxonomy};

#[derive(Debug, Default)]
pub struct Matrix {
    /// Taxonomy indexes of the rows and the columns.
    pub rows: usize,
    pub columns: usize,
    /// (row term, column term) → articles about both, newest first. Only pairs that occur.
    pub cells: BTreeMap<(usize, usize), Vec<ArticleId>>,
}

/// The matrix of taxonomies `rows` × `columns`, from each article's terms.
pub fn build(
    taxonomies: &[Taxonomy],
    names: &[String],
    article_terms: &[Vec<Vec<usize>>],
) -> Option<Matrix> {
    let [row_name, column_name] = names else {
        return None;
    };
    let rows = taxonomies.iter().position(|t| &t.name == row_name)?;
    let columns = taxonomies.iter().position(|t| &t.name == column_name)?;
    let mut cells: BTreeMap<(usize, usize), Vec<ArticleId>> = BTreeMap::new();
    for (id, terms) in article_terms.iter().enumerate() {
        for &row in &terms[rows] {
            for &column in &terms[columns] {
                cells.entry((row, column)).or_default().push(id);
            }
        }
    }
    Some(Matrix {
        rows,
        columns,
        cells,
    })
}

impl Matrix {
    /// Row terms that have at least one cell, in taxonomy order (most covered first).
    pub fn row_terms(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        rows
    }

    pub fn column_terms(&self) -> Vec<usize> {
        let mut columns: Vec<usize> = self.cells.keys().map(|(_, c)| *c).collect();
        columns.sort_unstable();
        columns.dedup();
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pairs_that_occur() {
        let taxonomies = ["companies", "regulations"].map(|name| Taxonomy {
            name: name.into(),
            title: name.into(),
            feed: true,
            terms: Vec::new(),
        });
        // Article 0: companies 0 and 1, regulation 0; article 1: company 1 only.
        let article_terms = vec![vec![vec![0, 1], vec![0]], vec![vec![1], vec![]]];
        let names = ["companies".to_string(), "regulations".to_string()];
        let matrix = build(&taxonomies, &names, &article_terms).unwrap();
        assert_eq!(matrix.cells.len(), 2);
        assert_eq!(matrix.cells[&(0, 0)], [0]);
        assert_eq!(matrix.cells[&(1, 0)], [0]);
        assert_eq!(matrix.row_terms(), [0, 1]);
        assert_eq!(matrix.column_terms(), [0]);
        assert!(
            build(
                &taxonomies,
                &["companies".into(), "tags".into()],
                &article_terms
            )
            .is_none()
        );
    }
}
