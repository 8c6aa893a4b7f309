package analyzer

// RunUnmerged is Run without folding overlapping findings of one category,
// so that tests can ask whether one rule flags a text.
func (a *Analyzer) RunUnmerged(doc Document) []Finding { return a.run(doc, false, nil) }
