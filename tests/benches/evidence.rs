//! Speed of the evidence library, each figure beside a reference timed in the same run:
//!
//! - ingest (添加佐证材料: scan, classify, copy into the store hashing while copying with both
//!   cores, one transaction) of a generated tree of mixed files against a plain recursive copy
//!   of the same tree (one `std::fs::copy` per file, as `cp -r` does); target ≥ 70 %;
//! - archive export (案卷导出) of that library to a folder — with and without the merged PDFs —
//!   against a plain copy of the same bytes; target ≥ 70 % (without merging; merging writes the
//!   PDFs and images a second time, so the figure with it is printed beside);
//! - list, filters, completeness and search over 50 000 items; target < 50 ms each.
//!
//! Scale: `SHIFAN_BENCH_MB` (default 200) and `SHIFAN_BENCH_FILES` (default 500); the issue's
//! run is `SHIFAN_BENCH_MB=2000 SHIFAN_BENCH_FILES=5000 cargo bench -p shifan-tests --bench
//! evidence`. `SHIFAN_BENCH_DIR` picks the disk (default: the system temp folder). Nothing is
//! asserted about time; the figures are printed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shifan_core::evidence::{
    EvidenceAddOptions, EvidenceFilter, EvidenceIntake, EvidenceReview, ReviewDecision,
};
use shifan_core::{Job, Workspace};

fn env(k: &str, default: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Deterministic noise (distinct content per seed).
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(n);
    v
}

/// A one-page PDF carrying `n` bytes as a JPEG-filtered image (a scan, as units send them).
fn pdf(seed: u64, n: usize) -> Vec<u8> {
    let img = noise(seed, n);
    let mut out = Vec::with_capacity(n + 1024);
    let mut offsets = Vec::new();
    out.extend_from_slice(b"%PDF-1.4\n");
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
        [
            format!("<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n", img.len()).into_bytes(),
            img,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Length 35 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream".to_vec(),
    ];
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A baseline JPEG header (SOF0 1280×960) before `n` bytes of entropy-coded-looking data.
fn jpeg(seed: u64, n: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x03, 0xC0, 0x05, 0x00, 0x03]);
    b.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0,
    ]);
    b.extend(
        noise(seed, n)
            .into_iter()
            .map(|x| if x == 0xFF { 0xFE } else { x }),
    );
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

const UNITS: &[&str] = &[
    "区司法局",
    "区政务服务和数据管理局",
    "区市场监督管理局",
    "区人力资源和社会保障局",
    "区财政局",
    "区发展和改革局",
    "区生态环境分局",
    "区住房和城乡建设局",
    "区应急管理局",
    "区城市管理执法局",
];

/// The tree units send: per unit a folder with 指标 subfolders; 55 % PDFs, 25 % JPEGs, 20 %
/// Word and Excel files, sizes varying around the mean.
fn make_tree(root: &Path, files: usize, total: u64) -> (Vec<PathBuf>, u64) {
    let mean = (total / files.max(1) as u64).max(4096) as usize;
    let mut bytes = 0u64;
    let mut dirs = Vec::new();
    for (i, u) in UNITS.iter().enumerate() {
        let d = root.join(u);
        std::fs::create_dir_all(&d).expect("mkdir");
        let _ = i;
        dirs.push(d);
    }
    for i in 0..files {
        let size = mean / 5 + (mean * 8 / 5) * ((i * 7919) % 101) / 100;
        let dir = &dirs[i % dirs.len()];
        let no = 1 + (i * 37) % 100;
        let sub = dir.join(format!("指标{no}"));
        std::fs::create_dir_all(&sub).expect("mkdir");
        let (name, data) = match i % 20 {
            0..=10 => (format!("{no}-{i:05}-扫描件.pdf"), pdf(i as u64 + 1, size)),
            11..=15 => (format!("现场照片{i:05}.jpg"), jpeg(i as u64 + 1, size)),
            16 | 17 => {
                let mut b = b"PK\x03\x04".to_vec();
                b.extend(noise(i as u64 + 1, size));
                (format!("工作台账{i:05}.xlsx"), b)
            }
            _ => {
                let mut b = b"PK\x03\x04".to_vec();
                b.extend(noise(i as u64 + 1, size));
                (format!("工作方案{i:05}.docx"), b)
            }
        };
        bytes += data.len() as u64;
        std::fs::write(sub.join(name), data).expect("write");
    }
    (dirs, bytes)
}

/// `cp -r`: one copy per file, folders made as met.
fn copy_tree(src: &Path, dst: &Path, sync: bool) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("ls").flatten() {
        let p = e.path();
        let to = dst.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &to, sync);
        } else {
            std::fs::copy(&p, &to).expect("copy");
            if sync {
                std::fs::File::open(&to)
                    .and_then(|f| f.sync_all())
                    .expect("sync");
            }
        }
    }
}

fn read_all(dir: &Path) {
    for e in std::fs::read_dir(dir).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            read_all(&p);
        } else {
            let _ = std::fs::read(&p);
        }
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn campaign(dir: &Path) -> Workspace {
    let mut ws = Workspace::open(dir).expect("open");
    shifan_core::demo::create(&mut ws).expect("demo");
    ws
}

fn main() {
    let mb = env("SHIFAN_BENCH_MB", 200);
    let files = env("SHIFAN_BENCH_FILES", 500) as usize;
    let base = std::env::var_os("SHIFAN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let root = tempfile::tempdir_in(&base).expect("tmp");
    let tree = root.path().join("报送材料");
    let (dirs, bytes) = make_tree(&tree, files, mb << 20);
    println!(
        "tree: {files} files, {:.0} MB, in {}",
        bytes as f64 / 1e6,
        base.display()
    );
    read_all(&tree);

    // Reference before and after, the better of the two.
    let ((), c1) = timed(|| copy_tree(&tree, &root.path().join("副本1"), false));
    let mut ws = campaign(&root.path().join("数据"));
    let (p, ingest) = timed(|| {
        ws.apply(
            &EvidenceIntake::ingesting(dirs.clone(), EvidenceAddOptions::default()),
            &Job::quiet(),
        )
        .expect("ingest")
    });
    let ((), c2) = timed(|| copy_tree(&tree, &root.path().join("副本2"), false));
    let ((), cs) = timed(|| copy_tree(&tree, &root.path().join("副本3"), true));
    let copy = c1.min(c2);
    assert_eq!(p.new_count as usize, files, "every file is a new item");
    println!(
        "ingest: {:.2} s ({:.0} MB/s); plain recursive copy {:.2} s ({:.0} MB/s): ingest at {:.0} % of the copy (target ≥ 70 %)",
        ingest.as_secs_f64(),
        mbps(bytes, ingest),
        copy.as_secs_f64(),
        mbps(bytes, copy),
        100.0 * copy.as_secs_f64() / ingest.as_secs_f64()
    );
    println!(
        "        (the store syncs every file to disk: a copy that syncs every file takes {:.2} s, ingest at {:.0} % of it)",
        cs.as_secs_f64(),
        100.0 * cs.as_secs_f64() / ingest.as_secs_f64()
    );

    // Archive export of the whole library.
    let ids: Vec<i64> = ws
        .list_evidence(&EvidenceFilter::default())
        .expect("list")
        .iter()
        .map(|i| i.id)
        .collect();
    ws.review_evidence(&EvidenceReview {
        ids,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let objects = ws.data_dir().join("evidence").join("objects");
    read_all(&objects);
    let mut plan = ws.archive_plan(None).expect("plan");
    plan.merge_pdf = false;
    let (r, plain) = timed(|| {
        ws.export_archive(&root.path().join("案卷-不合并"), &plan, &Job::quiet())
            .expect("export")
    });
    let ((), oc) = timed(|| copy_tree(&objects, &root.path().join("对象副本"), false));
    plan.merge_pdf = true;
    let (rm, merged) = timed(|| {
        ws.export_archive(&root.path().join("案卷"), &plan, &Job::quiet())
            .expect("export")
    });
    println!(
        "archive export: {} volumes, {} items: {:.2} s ({:.0} MB/s); copying the same files {:.2} s: export at {:.0} % of the copy (target ≥ 70 %)",
        r.volumes.len(),
        r.items,
        plain.as_secs_f64(),
        mbps(bytes, plain),
        oc.as_secs_f64(),
        100.0 * oc.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "        with one merged PDF per volume ({} pages): {:.2} s, {:.0} % of the copy",
        rm.pages,
        merged.as_secs_f64(),
        100.0 * oc.as_secs_f64() / merged.as_secs_f64()
    );
    drop(ws);

    // 50 000 items.
    let mut big = campaign(&root.path().join("五万"));
    shifan_core::evidence::bench::seed_items(&mut big, 50_000).expect("seed");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let best = |f: &dyn Fn() -> usize| {
        let mut t = Duration::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let (k, d) = timed(f);
            n = k;
            t = t.min(d);
        }
        (n, t)
    };
    let unit = big.list_units().expect("units")[0].id;
    let b = &big;
    let rows: Vec<(&str, Box<dyn Fn() -> usize>)> = vec![
        (
            "list, all items",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter::default())
                    .expect("l")
                    .len()
            }),
        ),
        (
            "list, first page of 100",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter {
                    limit: Some(100),
                    ..Default::default()
                })
                .expect("l")
                .len()
            }),
        ),
        (
            "filter by indicator",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter {
                    indicator_no: Some(27),
                    ..Default::default()
                })
                .expect("l")
                .len()
            }),
        ),
        (
            "filter by unit",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter {
                    unit_id: Some(unit),
                    ..Default::default()
                })
                .expect("l")
                .len()
            }),
        ),
        (
            "filter by status 退回",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter {
                    status: Some("退回".into()),
                    ..Default::default()
                })
                .expect("l")
                .len()
            }),
        ),
        (
            "the 待归类 queue",
            Box::new(move || {
                b.list_evidence(&EvidenceFilter {
                    queue: true,
                    ..Default::default()
                })
                .expect("l")
                .len()
            }),
        ),
        (
            "completeness",
            Box::new(move || b.evidence_completeness().expect("c").indicators.len()),
        ),
        (
            "search “复议”（2 characters）",
            Box::new(move || b.search("复议").expect("s").len()),
        ),
        (
            "search “合法性审核”",
            Box::new(move || b.search("合法性审核").expect("s").len()),
        ),
        (
            "search “曾政办发”",
            Box::new(move || b.search("曾政办发").expect("s").len()),
        ),
    ];
    for (what, f) in &rows {
        let (n, t) = best(f.as_ref());
        println!(
            "50 000 items: {what}: {:.1} ms ({n} rows; target < 50 ms)",
            ms(t)
        );
    }
}
