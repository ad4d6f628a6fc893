//! EPUB 3 and PDF editions of the e-book, and the SVG charts shared by web, PDF and e-book.
//! Filled by the e-book issue; the crate exists now so that the workspace has its final shape.
