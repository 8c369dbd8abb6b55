//! The numbers of each layout: page, margins, grid, and one paragraph style per role. Every
//! measurement in the writer comes from here. Units are Word's: twips (1/20 pt; Word converts
//! centimetres at 567 twips/cm, so 37 mm = 2098), half-points for font sizes.

/// Which page layout a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 公文 (GB/T 9704-2012): letters and reports.
    Gongwen,
    /// Forms and lists such as the 卷内目录: normal margins, 宋体 10.5 pt tables.
    Table,
}

/// A typeface as Word's East-Asian and Latin `w:rFonts` slots name it. What Word looks for
/// when it is not installed is in [`FONT_TABLE`] (`w:altName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub east_asia: &'static str,
    pub latin: &'static str,
}

pub const FANGSONG: Face = Face {
    east_asia: "仿宋_GB2312",
    latin: "仿宋_GB2312",
};
pub const KAITI: Face = Face {
    east_asia: "楷体_GB2312",
    latin: "楷体_GB2312",
};
pub const HEITI: Face = Face {
    east_asia: "黑体",
    latin: "黑体",
};
pub const SONGTI: Face = Face {
    east_asia: "宋体",
    latin: "宋体",
};
pub const XIAOBIAOSONG: Face = Face {
    east_asia: "方正小标宋简体",
    latin: "方正小标宋简体",
};

/// fontTable entries: name, alternative names (what Word tries when the font is missing),
/// panose, pitch.
pub const FONT_TABLE: &[(&str, &str, &str, &str)] = &[
    (
        "仿宋_GB2312",
        "仿宋,FangSong",
        "02010609030101010101",
        "fixed",
    ),
    ("楷体_GB2312", "楷体,KaiTi", "02010609030101010101", "fixed"),
    ("黑体", "SimHei", "02010609060101010101", "fixed"),
    ("宋体", "SimSun", "02010600030101010101", "variable"),
    (
        "方正小标宋简体",
        "FZXiaoBiaoSong-B05S,华文中宋,宋体",
        "02000000000000000000",
        "variable",
    ),
];

/// Line spacing of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Exactly this many twips (the 公文 grid pitch).
    Exact(u32),
    /// Single spacing (Word's "240 auto"), for table cells, pictures and footers.
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jc {
    Left,
    Center,
    Right,
    Both,
}

impl Jc {
    pub fn val(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

/// A paragraph style of the generated styles.xml.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub id: &'static str,
    /// The name Word shows (built-in names for headings, so the navigation pane and a table
    /// of contents work).
    pub name: &'static str,
    pub face: Face,
    /// Half-points (16 pt = 32).
    pub size: u32,
    pub bold: bool,
    pub jc: Jc,
    pub line: Line,
    /// First-line indent in characters.
    pub first_line_chars: u32,
    pub space_before: u32,
    pub space_after: u32,
    pub keep_next: bool,
    /// Snap lines to the document grid and take the 28-a-line spacing (off for the title,
    /// tables and pictures, whose own sizes would be pushed apart by it).
    pub snap_to_grid: bool,
    pub outline_level: Option<u32>,
}

impl Style {
    const fn new(id: &'static str, name: &'static str, face: Face, size: u32, line: Line) -> Style {
        Style {
            id,
            name,
            face,
            size,
            bold: false,
            jc: Jc::Both,
            line,
            first_line_chars: 0,
            space_before: 0,
            space_after: 0,
            keep_next: false,
            snap_to_grid: true,
            outline_level: None,
        }
    }
}

/// The paragraph roles the body writer asks for; each layout maps them to a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Normal,
    Title,
    DocNo,
    Addressee,
    Heading1,
    Heading2,
    Heading3,
    Body,
    TableHeader,
    TableText,
    Figure,
    Caption,
    Signature,
    PageNumber,
    /// The empty paragraph that carries a section break.
    SectionEnd,
}

const ROLES: [Role; 15] = [
    Role::Normal,
    Role::Title,
    Role::DocNo,
    Role::Addressee,
    Role::Heading1,
    Role::Heading2,
    Role::Heading3,
    Role::Body,
    Role::TableHeader,
    Role::TableText,
    Role::Figure,
    Role::Caption,
    Role::Signature,
    Role::PageNumber,
    Role::SectionEnd,
];

/// What the footer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footer {
    /// "— 1 —": odd pages right, even pages left, one character in (GB/T 9704 §7.5).
    GongwenPageNumber,
    /// "第 1 页 共 3 页", centred.
    PageOfPages,
}

/// Every number of one layout.
#[derive(Debug, Clone)]
pub struct Spec {
    pub layout: Layout,
    /// Portrait page size, twips.
    pub page_w: u32,
    pub page_h: u32,
    pub margin_top: u32,
    pub margin_bottom: u32,
    pub margin_left: u32,
    pub margin_right: u32,
    pub header_dist: u32,
    pub footer_dist: u32,
    /// Document grid: lines and characters per page, when the layout has one.
    pub grid: Option<(u32, u32)>,
    pub footer: Footer,
    /// Blank lines between the last paragraph and the 落款 (room for the seal).
    pub signature_gap_lines: u32,
    /// 成文日期 右空四字.
    pub date_right_chars: f64,
    pub styles: Vec<(Role, Style)>,
    /// Cell margins left/right, twips.
    pub cell_margin: u32,
}

impl Layout {
    pub fn spec(self) -> Spec {
        match self {
            Layout::Gongwen => gongwen(),
            Layout::Table => table(),
        }
    }
}

/// Exact twips per millimetre (1440 per inch).
pub const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// Millimetres to twips the way Word converts centimetres (567 twips per cm).
pub const fn mm(v: u32) -> u32 {
    (v * 567 + 5) / 10
}

fn gongwen() -> Spec {
    // 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm: bottom 297-37-225 = 35 mm, right 210-28-156 = 26.
    let mut spec = Spec {
        layout: Layout::Gongwen,
        page_w: 11906,
        page_h: 16838,
        margin_top: mm(37),
        margin_bottom: mm(35),
        margin_left: mm(28),
        margin_right: mm(26),
        header_dist: mm(15),
        // The 一字线 sits about 7 mm below the 版心 (GB/T 9704 §7.5): measured in the PDF.
        footer_dist: mm(25),
        grid: Some((22, 28)),
        footer: Footer::GongwenPageNumber,
        signature_gap_lines: 2,
        date_right_chars: 4.0,
        styles: Vec::new(),
        cell_margin: 85,
    };
    let pitch = Line::Exact(spec.line_pitch());
    let base = |id, name, face, size| Style::new(id, name, face, size, pitch);
    let styles = [
        (Role::Normal, base("Normal", "Normal", FANGSONG, 32)),
        (
            Role::Title,
            Style {
                jc: Jc::Center,
                snap_to_grid: false,
                keep_next: true,
                ..base("DocTitle", "公文标题", XIAOBIAOSONG, 44)
            },
        ),
        (
            Role::DocNo,
            Style {
                jc: Jc::Right,
                ..base("DocNo", "发文字号", FANGSONG, 32)
            },
        ),
        (
            Role::Addressee,
            Style {
                jc: Jc::Left,
                ..base("Addressee", "主送机关", FANGSONG, 32)
            },
        ),
        (
            Role::Heading1,
            Style {
                first_line_chars: 2,
                keep_next: true,
                outline_level: Some(0),
                ..base("Heading1", "heading 1", HEITI, 32)
            },
        ),
        (
            Role::Heading2,
            Style {
                first_line_chars: 2,
                keep_next: true,
                outline_level: Some(1),
                ..base("Heading2", "heading 2", KAITI, 32)
            },
        ),
        (
            Role::Heading3,
            Style {
                first_line_chars: 2,
                keep_next: true,
                outline_level: Some(2),
                ..base("Heading3", "heading 3", FANGSONG, 32)
            },
        ),
        (
            Role::Body,
            Style {
                first_line_chars: 2,
                ..base("BodyText", "正文段落", FANGSONG, 32)
            },
        ),
        (
            Role::TableHeader,
            Style {
                jc: Jc::Center,
                snap_to_grid: false,
                ..Style::new("TableHeader", "表头", HEITI, 24, Line::Single)
            },
        ),
        (
            Role::TableText,
            Style {
                jc: Jc::Left,
                snap_to_grid: false,
                ..Style::new("TableText", "表格文字", FANGSONG, 24, Line::Single)
            },
        ),
        (
            Role::Figure,
            Style {
                jc: Jc::Center,
                snap_to_grid: false,
                keep_next: true,
                ..Style::new("Figure", "图片", FANGSONG, 32, Line::Single)
            },
        ),
        (
            Role::Caption,
            Style {
                jc: Jc::Center,
                ..base("FigureCaption", "图题", KAITI, 28)
            },
        ),
        (
            Role::Signature,
            Style {
                jc: Jc::Right,
                ..base("Signature", "落款", FANGSONG, 32)
            },
        ),
        (
            Role::PageNumber,
            Style {
                jc: Jc::Right,
                snap_to_grid: false,
                ..Style::new("PageNumber", "页码", SONGTI, 28, Line::Single)
            },
        ),
        (
            Role::SectionEnd,
            Style {
                snap_to_grid: false,
                ..Style::new("SectionEnd", "分节", FANGSONG, 2, Line::Exact(20))
            },
        ),
    ];
    spec.styles = styles.to_vec();
    spec
}

fn table() -> Spec {
    let single = |id, name, face, size| Style::new(id, name, face, size, Line::Single);
    let styles = [
        (
            Role::Normal,
            Style {
                jc: Jc::Left,
                ..single("Normal", "Normal", SONGTI, 24)
            },
        ),
        (
            Role::Title,
            Style {
                jc: Jc::Center,
                bold: true,
                space_after: 240,
                keep_next: true,
                ..single("DocTitle", "表格标题", SONGTI, 36)
            },
        ),
        (
            Role::DocNo,
            Style {
                jc: Jc::Right,
                ..single("DocNo", "发文字号", SONGTI, 24)
            },
        ),
        (
            Role::Addressee,
            Style {
                jc: Jc::Left,
                ..single("Addressee", "主送机关", SONGTI, 24)
            },
        ),
        (
            Role::Heading1,
            Style {
                bold: true,
                keep_next: true,
                space_before: 120,
                outline_level: Some(0),
                ..single("Heading1", "heading 1", HEITI, 28)
            },
        ),
        (
            Role::Heading2,
            Style {
                bold: true,
                keep_next: true,
                outline_level: Some(1),
                ..single("Heading2", "heading 2", SONGTI, 24)
            },
        ),
        (
            Role::Heading3,
            Style {
                keep_next: true,
                outline_level: Some(2),
                ..single("Heading3", "heading 3", SONGTI, 24)
            },
        ),
        (
            Role::Body,
            Style {
                jc: Jc::Left,
                space_after: 60,
                ..single("BodyText", "正文段落", SONGTI, 24)
            },
        ),
        (
            Role::TableHeader,
            Style {
                jc: Jc::Center,
                bold: true,
                ..single("TableHeader", "表头", SONGTI, 21)
            },
        ),
        (
            Role::TableText,
            Style {
                jc: Jc::Left,
                ..single("TableText", "表格文字", SONGTI, 21)
            },
        ),
        (
            Role::Figure,
            Style {
                jc: Jc::Center,
                keep_next: true,
                ..single("Figure", "图片", SONGTI, 24)
            },
        ),
        (
            Role::Caption,
            Style {
                jc: Jc::Center,
                space_after: 120,
                ..single("FigureCaption", "图题", SONGTI, 21)
            },
        ),
        (
            Role::Signature,
            Style {
                jc: Jc::Right,
                ..single("Signature", "落款", SONGTI, 24)
            },
        ),
        (
            Role::PageNumber,
            Style {
                jc: Jc::Center,
                ..single("PageNumber", "页码", SONGTI, 18)
            },
        ),
        (
            Role::SectionEnd,
            Style::new("SectionEnd", "分节", SONGTI, 2, Line::Exact(20)),
        ),
    ];
    Spec {
        layout: Layout::Table,
        page_w: 11906,
        page_h: 16838,
        // Word's 普通 margins: 2.54 cm top/bottom, 3.18 cm left/right.
        margin_top: 1440,
        margin_bottom: 1440,
        margin_left: 1800,
        margin_right: 1800,
        header_dist: 851,
        footer_dist: 992,
        grid: None,
        footer: Footer::PageOfPages,
        signature_gap_lines: 1,
        date_right_chars: 0.0,
        styles: styles.to_vec(),
        // 1 mm: narrow columns (页数, 备注) keep their two-character header on one line.
        cell_margin: 57,
    }
}

impl Spec {
    pub fn text_width(&self) -> u32 {
        self.page_w - self.margin_left - self.margin_right
    }

    pub fn text_height(&self) -> u32 {
        self.page_h - self.margin_top - self.margin_bottom
    }

    /// Line pitch of the grid (the 版心 height over the lines, rounded down so they fit), or
    /// single spacing of the normal font.
    pub fn line_pitch(&self) -> u32 {
        match self.grid {
            Some((lines, _)) => self.text_height() / lines,
            None => 312,
        }
    }

    /// `w:charSpace` of the grid: how much narrower (in 1/4096 pt) a grid character would be
    /// than the normal font for `chars` to fit the text width (used by Word only when the grid
    /// is switched to lines and characters).
    pub fn char_space(&self) -> Option<i64> {
        let (_, chars) = self.grid?;
        let pitch_pt = self.text_width() as f64 / 20.0 / chars as f64;
        let normal_pt = self.style(Role::Normal).size as f64 / 2.0;
        // Rounded down: 28 cells must not come out a fraction wider than the text block.
        Some(((pitch_pt - normal_pt) * 4096.0).floor() as i64)
    }

    /// Width of one character of the body text, twips (a grid cell when there is a grid).
    pub fn char_width(&self) -> f64 {
        match self.grid {
            Some((_, chars)) => self.text_width() as f64 / chars as f64,
            None => self.style(Role::Normal).size as f64 * 10.0,
        }
    }

    /// Character spacing (`w:spacing`, 1/20 pt, negative = condensed) that makes the characters
    /// of a style on the grid no wider than a 28th of the line: 28 × 3号 (448 pt) is a little
    /// more than the 156 mm 版心 (442.2 pt), so 16 pt characters are set 0.25 pt closer
    /// (28 × 15.75 pt = 441 pt). Word, WPS and LibreOffice then all put 28 on a line.
    pub fn condense(&self, st: &Style) -> Option<i32> {
        self.grid?;
        let cell_pt = self.char_width() / 20.0;
        let size_pt = st.size as f64 / 2.0;
        (st.snap_to_grid && size_pt > cell_pt).then(|| ((cell_pt - size_pt) * 20.0).floor() as i32)
    }

    pub fn style(&self, role: Role) -> &Style {
        // Every layout lists every role (checked by a test); Normal is the fallback.
        self.styles
            .iter()
            .find(|(r, _)| *r == role)
            .or_else(|| self.styles.first())
            .map(|(_, s)| s)
            .unwrap_or(&FALLBACK)
    }

    pub fn roles() -> &'static [Role] {
        &ROLES
    }
}

static FALLBACK: Style = Style::new("Normal", "Normal", SONGTI, 24, Line::Single);
