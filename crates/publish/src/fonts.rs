//! The fonts built into the binary (decision 0042): subsets of Noto Serif (Latin, Greek,
//! Cyrillic), Noto Sans Mono, Noto Naskh Arabic and Droid Sans Fallback (the Chinese characters
//! of GB 2312), cut by `scripts/vendor-fonts` from Debian's packages. The PDF uses all of them;
//! an EPUB carries those its text needs.

/// One embedded font file.
pub(crate) struct FontFile {
    pub file: &'static str,
    pub family: &'static str,
    pub bold: bool,
    pub italic: bool,
    pub bytes: &'static [u8],
    pub script: Script,
}

/// The writing system a font is there for: an EPUB embeds a script's fonts only when its text
/// uses that script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Monospace,
    Arabic,
    Han,
}

macro_rules! font {
    ($file:literal, $family:literal, $bold:literal, $italic:literal, $script:ident) => {
        FontFile {
            file: $file,
            family: $family,
            bold: $bold,
            italic: $italic,
            bytes: include_bytes!(concat!("../fonts/", $file)),
            script: Script::$script,
        }
    };
}

pub(crate) const FONTS: [FontFile; 8] = [
    font!("NotoSerif-Regular.ttf", "Noto Serif", false, false, Latin),
    font!("NotoSerif-Bold.ttf", "Noto Serif", true, false, Latin),
    font!("NotoSerif-Italic.ttf", "Noto Serif", false, true, Latin),
    font!("NotoSerif-BoldItalic.ttf", "Noto Serif", true, true, Latin),
    font!("NotoSansMono-Regular.ttf", "Noto Sans Mono", false, false, Monospace),
    font!("NotoNaskhArabic-Regular.ttf", "Noto Naskh Arabic", false, false, Arabic),
    font!("NotoNaskhArabic-Bold.ttf", "Noto Naskh Arabic", true, false, Arabic),
    font!("DroidSansFallback-GB2312.ttf", "Droid Sans Fallback", false, false, Han),
];

/// The SIL Open Font License of the Noto fonts, with their copyright.
pub(crate) const OFL: &str = include_str!("../fonts/OFL.txt");
/// The Apache License 2.0 of Droid Sans Fallback, with its copyright.
pub(crate) const APACHE: &str = include_str!("../fonts/LICENSE-Apache-2.0.txt");

/// The script of `c` among those the fonts are chosen by, if any.
pub(crate) fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFC}' => Some(Script::Arabic),
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' => Some(Script::Han),
        _ => None,
    }
}
