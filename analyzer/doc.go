// Package analyzer is replylint's engine: a Document (a reply's text, its
// language hint, kind and context) goes in, Findings come out, sorted by
// position.
//
// The text is normalised once (NFKC, case folding, and the folds that make
// Arabic, Persian and Russian spellings comparable), keeping a map back to
// the original bytes; tokenised once; and matched once by an automaton that
// holds every pattern of every rule, exception and phrase list, so the cost
// grows with the text, not with the number of rules. Rules are plain values
// with a small Run that reports through a Pass, as in
// golang.org/x/tools/go/analysis: pattern rules report their matches,
// structural rules (greeting, sign-off, placeholders...) are Go checks.
//
// An Analyzer is built once from a rules.Set and is safe for concurrent use.
package analyzer
