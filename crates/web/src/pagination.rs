//! Links to the previous and next page of a list, keeping its filters.

use reti_store::PageRequest;

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
}

impl Pager {
    pub fn new(path: &str, filters: &[(&'static str, String)], request: PageRequest, total: i64) -> Pager {
        let per_page = i64::from(request.per_page.max(1));
        let pages = u32::try_from(((total + per_page - 1) / per_page).max(1)).unwrap_or(u32::MAX);
        let href = |page: u32| {
            let mut pairs: Vec<(&str, String)> =
                filters.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.clone())).collect();
            pairs.push(("page", page.to_string()));
            format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
        };
        Pager {
            page: request.page,
            pages,
            previous_href: (request.page > 1).then(|| href(request.page - 1)),
            next_href: (request.page < pages).then(|| href(request.page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_filters_and_stop_at_the_ends() {
        let first = Pager::new(
            "/organisations",
            &[("q", "cantù".into()), ("kind", String::new())],
            PageRequest::new(Some(1), Some(25)),
            60,
        );
        assert_eq!(first.pages, 3);
        assert!(first.previous_href.is_none());
        assert_eq!(first.next_href.as_deref(), Some("/organisations?q=cant%C3%B9&page=2"));
        let last = Pager::new("/organisations", &[], PageRequest::new(Some(3), Some(25)), 60);
        assert!(last.next_href.is_none());
        assert_eq!(Pager::new("/x", &[], PageRequest::new(None, None), 0).pages, 1);
    }
}
