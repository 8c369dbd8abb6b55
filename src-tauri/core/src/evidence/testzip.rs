//! Test zips: real archives made with the `zip` crate, plus byte patches for what a writer
//! will not produce on purpose (GBK names without the UTF-8 flag, an encryption flag, lying
//! sizes).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub struct TestZip {
    w: ZipWriter<Cursor<Vec<u8>>>,
}

pub fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::from_date_and_time(2024, 3, 15, 9, 30, 0).unwrap())
}

impl TestZip {
    pub fn new() -> TestZip {
        TestZip {
            w: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    pub fn file(mut self, name: &str, bytes: &[u8]) -> TestZip {
        self.w.start_file(name, options()).unwrap();
        self.w.write_all(bytes).unwrap();
        self
    }

    /// `len` zero bytes, written in pieces (deflates about 1000:1).
    pub fn zeros(mut self, name: &str, len: u64) -> TestZip {
        let o = options().large_file(len >= u32::MAX as u64);
        self.w.start_file(name, o).unwrap();
        let block = vec![0u8; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            self.w.write_all(&block[..n]).unwrap();
            left -= n as u64;
        }
        self
    }

    pub fn dir(mut self, name: &str) -> TestZip {
        self.w.add_directory(name, options()).unwrap();
        self
    }

    pub fn symlink(mut self, name: &str, target: &str) -> TestZip {
        self.w.add_symlink(name, target, options()).unwrap();
        self
    }

    /// A ZipCrypto-encrypted entry (what WinRAR/7-Zip/Bandizip write for "设置密码").
    pub fn zipcrypto(mut self, name: &str, bytes: &[u8]) -> TestZip {
        use zip::unstable::write::FileOptionsExt;
        let o = options().with_deprecated_encryption(b"123456").unwrap();
        self.w.start_file(name, o).unwrap();
        self.w.write_all(bytes).unwrap();
        self
    }

    pub fn finish(self) -> Vec<u8> {
        self.w.finish().unwrap().into_inner()
    }
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// (central header offset, local header offset) of every entry.
pub fn headers(zip: &[u8]) -> Vec<(usize, usize)> {
    let eocd = (0..=zip.len() - 22)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("end of central directory");
    let count = u16_at(zip, eocd + 10);
    let mut at = u32_at(zip, eocd + 16);
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(zip[at..at + 4], [0x50, 0x4b, 0x01, 0x02]);
        let local = u32_at(zip, at + 42);
        out.push((at, local));
        at += 46 + u16_at(zip, at + 28) + u16_at(zip, at + 30) + u16_at(zip, at + 32);
    }
    out
}

/// Replaces the name of entry `index` by `raw` bytes of the same length, in both headers,
/// and clears the UTF-8 flag (bit 11): what Windows' built-in zip writes for Chinese names.
pub fn set_raw_name(zip: &mut [u8], index: usize, raw: &[u8]) {
    let (central, local) = headers(zip)[index];
    assert_eq!(u16_at(zip, central + 28), raw.len(), "same length");
    zip[central + 46..central + 46 + raw.len()].copy_from_slice(raw);
    zip[local + 30..local + 30 + raw.len()].copy_from_slice(raw);
    zip[central + 9] &= !0x08;
    zip[local + 7] &= !0x08;
}

/// Sets the "encrypted" bit (general purpose flag bit 0) of entry `index` in both headers.
pub fn set_encrypted_flag(zip: &mut [u8], index: usize) {
    let (central, local) = headers(zip)[index];
    zip[central + 8] |= 1;
    zip[local + 6] |= 1;
}

/// Makes entry `index` declare `size` uncompressed bytes (a lying bomb), in both headers.
pub fn set_declared_size(zip: &mut [u8], index: usize, size: u32) {
    let (central, local) = headers(zip)[index];
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
}

/// Offset and length of the compressed data of entry `index`.
pub fn data_range(zip: &[u8], index: usize) -> (usize, usize) {
    let (central, local) = headers(zip)[index];
    let start = local + 30 + u16_at(zip, local + 26) + u16_at(zip, local + 28);
    (start, u32_at(zip, central + 20))
}
