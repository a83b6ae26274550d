//! Pack files: many small gzipped blobs (shards, metadata chunks, stored-text chunks) in a few
//! files, each blob read by the browser with one HTTP `Range` request.
//!
//! A pack is a table of `count + 1` little-endian `u32` offsets (from the pack's start; blob `j`
//! is `offsets[j]..offsets[j + 1]`), then the blobs. The client reads the 8 bytes of a blob's
//! two offsets, then the blob; where the server ignores `Range` (answers 200), it keeps the
//! whole pack and slices it.
//!
//! A group's blobs (`base` shards, `d` chunks, …) are cut into packs left to right: a new pack
//! starts at [`PER_PACK`] blobs or before the pack would pass [`PACK_BYTES`]. Left to right, so a
//! change at the end of a group (a page added today is numbered last) leaves every earlier pack
//! as it was. The manifest lists each pack's first blob (`starts`).

/// Most blobs in a pack: at 10,000 pages about 40 packs in all, and a page added today changes
/// one metadata and one text pack of about 0.2 and 0.6 MB.
pub const PER_PACK: usize = 128;
/// Most bytes in a pack (a single larger blob gets a pack of its own): far below the 25 MiB a
/// file Cloudflare Pages accepts.
pub const PACK_BYTES: usize = 8 << 20;

/// The first blob of each pack of `blobs`, cut as the module says.
pub fn starts(blobs: &[Vec<u8>]) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut count, mut bytes) = (0, 0);
    for (i, b) in blobs.iter().enumerate() {
        let table = 4 * (count + 2);
        if i == 0 || count == PER_PACK || (count > 0 && table + bytes + b.len() > PACK_BYTES) {
            starts.push(i);
            (count, bytes) = (0, 0);
        }
        count += 1;
        bytes += b.len();
    }
    starts
}

/// The bytes of one pack: the offset table, then `blobs`.
pub fn pack(blobs: &[Vec<u8>]) -> Vec<u8> {
    let table = 4 * (blobs.len() + 1);
    let total = table + blobs.iter().map(Vec::len).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    let mut at = table;
    out.extend_from_slice(&offset(at).to_le_bytes());
    for b in blobs {
        at += b.len();
        out.extend_from_slice(&offset(at).to_le_bytes());
    }
    for b in blobs {
        out.extend_from_slice(b);
    }
    out
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).expect("a pack stays below PACK_BYTES plus one blob")
}

/// The blobs of a pack (as the browser reads them), or `None` when its table does not fit.
pub fn unpack(pack: &[u8]) -> Option<Vec<&[u8]>> {
    let word = |i: usize| -> Option<usize> {
        let b = pack.get(4 * i..4 * i + 4)?;
        Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
    };
    let first = word(0)?;
    if first % 4 != 0 || first < 4 {
        return None;
    }
    let offsets: Vec<usize> = (0..first / 4).map(word).collect::<Option<_>>()?;
    offsets
        .windows(2)
        .map(|w| pack.get(w[0]..w[1]))
        .collect::<Option<Vec<_>>>()
        .filter(|_| offsets.last() == Some(&pack.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_gives_back_its_blobs() {
        let blobs = vec![b"abc".to_vec(), Vec::new(), b"defgh".to_vec()];
        let p = pack(&blobs);
        // Four offsets (16 bytes), then the blobs.
        assert_eq!(&p[..4], &16u32.to_le_bytes());
        assert_eq!(&p[4..8], &19u32.to_le_bytes());
        assert_eq!(&p[8..12], &19u32.to_le_bytes());
        assert_eq!(&p[12..16], &24u32.to_le_bytes());
        let back = unpack(&p).unwrap();
        assert_eq!(back, vec![&b"abc"[..], b"", b"defgh"]);
        assert_eq!(unpack(&p[..20]), None, "a cut pack is refused");
        assert_eq!(unpack(&pack(&[])).unwrap(), Vec::<&[u8]>::new());
    }

    #[test]
    fn packs_are_cut_by_count_and_by_size_left_to_right() {
        let small = vec![vec![0u8; 10]; 2 * PER_PACK + 1];
        assert_eq!(starts(&small), vec![0, PER_PACK, 2 * PER_PACK]);
        let big = vec![vec![0u8; PACK_BYTES / 3]; 7];
        assert_eq!(starts(&big), vec![0, 2, 4, 6]);
        // A blob larger than a pack still gets one, alone.
        let huge = vec![vec![0u8; 4], vec![0u8; PACK_BYTES + 1], vec![0u8; 4]];
        assert_eq!(starts(&huge), vec![0, 1, 2]);
        // A change of the last blob moves no earlier cut.
        let mut grown = small.clone();
        grown.last_mut().unwrap().extend([1; 1000]);
        assert_eq!(starts(&grown), starts(&small));
        assert_eq!(starts(&[]), Vec::<usize>::new());
    }
}
