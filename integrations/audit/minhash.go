package audit

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinHash parameters: numHashes values in numBands bands of bandRows rows.
const (
	numHashes = 64
	numBands  = 16
	bandRows  = numHashes / numBands
	shingleK  = 3
)

// Signature is the MinHash signature of a set of shingles.
type Signature [numHashes]uint32

// hashSeeds are the odd multipliers of the numHashes hash functions,
// fixed so that signatures are the same in every process (map and reduce).
var hashSeeds = func() (s [numHashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = splitmix(x)
		s[i] = x | 1
	}
	return
}()

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// words appends to out the normalised words of s: lower-cased runs of
// letters and digits (digits folded to 0, so that order numbers and dates
// do not make two copies of a template differ), hashed.
func words(s string, out []uint64) []uint64 {
	var h uint64
	in := false
	for i := 0; i < len(s); {
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			r = foldASCII(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			r = foldRune(r)
			i += size
		}
		if r < 0 {
			if in {
				out = append(out, splitmix(h))
				in = false
			}
			continue
		}
		if !in {
			h, in = 14695981039346656037, true
		}
		h = (h ^ uint64(r)) * 1099511628211
	}
	if in {
		out = append(out, splitmix(h))
	}
	return out
}

// foldRune returns r as words hashes it: a letter or mark in lower case,
// a digit as 0, -1 for anything else.
func foldRune(r rune) rune {
	switch {
	case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
		return unicode.ToLower(r)
	case unicode.IsDigit(r):
		return '0'
	}
	return -1
}

// foldASCII is foldRune for an ASCII byte, without the unicode tables.
func foldASCII(c byte) rune {
	switch {
	case 'a' <= c && c <= 'z':
		return rune(c)
	case 'A' <= c && c <= 'Z':
		return rune(c + 'a' - 'A')
	case '0' <= c && c <= '9':
		return '0'
	}
	return -1
}

// shingles appends to out the sorted, distinct hashes of the k-word
// shingles of the word hashes w (a text shorter than k words is one
// shingle).
func shingles(w, out []uint64) []uint64 {
	if len(w) == 0 {
		return out
	}
	n := max(len(w)-shingleK+1, 1)
	from := len(out)
	for i := range n {
		h := uint64(0)
		for j := i; j < min(i+shingleK, len(w)); j++ {
			h = splitmix(h ^ w[j])
		}
		out = append(out, h)
	}
	slices.Sort(out[from:])
	return out[:from+len(slices.Compact(out[from:]))]
}

// minhash returns the signature of a set of shingle hashes: for each of
// the numHashes functions, the least value over the set. Four functions
// per sweep keep their minima in registers.
func minhash(set []uint64) Signature {
	var sig Signature
	for i := 0; i < numHashes; i += 4 {
		a0, a1, a2, a3 := hashSeeds[i], hashSeeds[i+1], hashSeeds[i+2], hashSeeds[i+3]
		m0, m1, m2, m3 := ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)
		for _, x := range set {
			m0 = min(m0, uint32((x*a0)>>32))
			m1 = min(m1, uint32((x*a1)>>32))
			m2 = min(m2, uint32((x*a2)>>32))
			m3 = min(m3, uint32((x*a3)>>32))
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = m0, m1, m2, m3
	}
	return sig
}

// bands returns the LSH band keys of a signature: each mixes its band
// index, so equal rows in different bands do not collide.
func (s *Signature) bands() [numBands]uint64 {
	var out [numBands]uint64
	for b := range out {
		h := uint64(b + 1)
		for _, v := range s[b*bandRows : (b+1)*bandRows] {
			h = splitmix(h ^ uint64(v))
		}
		out[b] = h
	}
	return out
}

// estimate is the MinHash estimate of the Jaccard similarity of the sets
// two signatures were computed from.
func (s *Signature) estimate(o *Signature) float64 {
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	return float64(same) / numHashes
}

// jaccard is the exact Jaccard similarity of two sorted, distinct sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// String encodes the signature (base64 of its little-endian values), the
// form it takes in records.
func (s *Signature) String() string {
	var b [numHashes * 4]byte
	for i, v := range s {
		binary.LittleEndian.PutUint32(b[i*4:], v)
	}
	return base64.RawStdEncoding.EncodeToString(b[:])
}

// parseSignature decodes what String encodes.
func parseSignature(s string) (*Signature, error) {
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != numHashes*4 {
		return nil, errors.New("bad signature")
	}
	var sig Signature
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint32(b[i*4:])
	}
	return &sig, nil
}
