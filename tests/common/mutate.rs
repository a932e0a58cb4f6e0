//! Mutations of content files for the stable fuzz loops (`tests/fuzz_content.rs` through the `lotse`
//! binary, `tests/fuzz_content_corpus.rs` through the library).

/// xorshift64*: deterministic, so a failure reproduces from its seed.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to YAML front matter, Markdown, HTML and bidi text.
pub const SPECIALS: &[&[u8]] = &[
    b"\n---\n", b"---\n", b"\n---", b"\n+++\n", b"&a ", b"*a", b"!!binary ", b"!!str ", b"!!map ", b"<<: *a\n", b"? ", b": ",
    b"\n- ", b"{", b"}", b"[", b"]", b"\"", b"'", b"|\n", b">-\n", b"%YAML 1.2\n", b"\t", b"\0", b"\xff\xfe", b"\xc3", b"\xe2\x80",
    "\u{200F}".as_bytes(), "\u{202E}".as_bytes(), "\u{200C}".as_bytes(), "\u{FEFF}".as_bytes(), b"\r\n", b"\r",
    b"title: ", b"date: 2016-13-45\n", b"date: ", b"draft: true\n", b"weight: 1e999\n", b"aliases: [", b"tags: ", b"type: ",
    b"```", b"\n```\n", b"~~~", b"<div>", b"</div>", b"<script>", b"{{", b"}}", b"{%", b"[x](javascript:1)", b"![", b"](",
    b"| a | b |\n|---|---|\n", b"[^1]", b"\n[^1]: ", b"> ", b"    ", b"#", b"\\", b"&#0;", b"&#x110000;", b"&nbsp;",
    b"type: place\n", b"type: exchange\n", b"opening_hours: ", b"<a href=\"javascript:x\">", b"](javascript:x)", b"![](",
    b"{#id .c k=v}", b"<!--", b"-->", b"<details>", b"\n# ",
];

/// 1–6 mutations of a page: bit flips, cuts, inserted specials, deep nesting, an alias bomb, random bytes.
pub fn mutate(rng: &mut Rng, page: &[u8]) -> Vec<u8> {
    let mut v = page.to_vec();
    for _ in 0..1 + rng.below(6) {
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.truncate(rng.below(v.len() + 1)),
            2 | 3 => {
                let i = rng.below(v.len() + 1);
                let s = SPECIALS[rng.below(SPECIALS.len())];
                v.splice(i..i, s.iter().copied());
            }
            4 => {
                // deep nesting: YAML flow, YAML block, Markdown lists and quotes
                let n = 1 + rng.below(3000);
                let i = rng.below(v.len() + 1);
                let nest: Vec<u8> = match rng.below(4) {
                    0 => [b"x: ".as_slice(), &b"[".repeat(n), &b"]".repeat(n), b"\n"].concat(),
                    1 => (0..n.min(300)).flat_map(|d| [" ".repeat(d).into_bytes(), b"k:\n".to_vec()].concat()).collect(),
                    2 => b"> ".repeat(n),
                    _ => (0..n.min(500)).flat_map(|d| [" ".repeat(2 * d).into_bytes(), b"- x\n".to_vec()].concat()).collect(),
                };
                v.splice(i..i, nest);
            }
            5 if !v.is_empty() => {
                let i = rng.below(v.len());
                let n = rng.below(v.len() - i + 1).min(40);
                v.drain(i..i + n);
            }
            6 => {
                // YAML anchors and aliases (a billion-laughs start)
                let i = rng.below(v.len() + 1);
                v.splice(i..i, b"a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n".iter().copied());
            }
            7 => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.splice(i..i, (0..rng.below(16)).map(|_| rng.next() as u8));
            }
        }
    }
    v
}
