// Package audit aggregates linted messages into QA scorecards: per agent,
// team, conversation, day, week, category or input file. It finds canned
// replies (near-identical letters sent to different customers) and writes
// the result as a terminal table, CSV, JSON or one self-contained HTML
// report. It holds per-group aggregates only, never every finding, so its
// memory does not grow with the corpus (except with the number of groups
// for --by conversation or file).
//
// # Records
//
// A Record is everything the aggregation needs of one linted message: its
// source, agent, times, courtesy facts, text and findings. Records are
// built by Prepare from a document and its findings, or read back from the
// JSON Lines map output (WriteRecord / ReadFindings), so that aggregating
// directly and re-aggregating a distributed map step give the same result.
//
// # Quality score
//
// Each message scores 100 minus the weight of every category it has at
// least one counted finding in (a category is a QA criterion: it is met or
// not, however many phrases break it), floored at 0; a message with a
// finding in a critical category scores 0 outright. A group's score is the
// mean of its messages' scores. Counted findings are those at or above
// --min-severity that no suppression covers. The default weights are in
// DefaultWeights (deflection and dismissive 25, runaround 20, policy-shield,
// overpromise, canned and unreachable 15, excuse, personalization,
// responsiveness and relevance 10, courtesy 5, any other category 10); the
// default critical categories are deflection and dismissive.
//
// Top offending phrases are the findings' texts, lower-cased with white
// space collapsed, counted; the structural categories (courtesy, relevance,
// responsiveness), whose findings cover a line rather than a phrase, are
// left out.
//
// With --by category each row is one category: every agent message counts,
// and only that category's findings (its weight, its critical flag) score.
//
// # Courtesy rates
//
// Courtesy rates are derived from the courtesy.* findings at every severity
// (the info-level hints included, whatever --min-severity hides):
//
//   - greeting: of the messages where a greeting is expected (emails and an
//     agent's first chat turn), the share with neither courtesy.no-greeting
//     nor courtesy.curt;
//   - sign-off: of emails, the share with neither courtesy.no-signoff nor
//     courtesy.curt;
//   - thanks: of all messages, the share not flagged courtesy.curt that
//     the analyzer saw thank the customer (analyzer.Facts: the rule set's
//     "thanks" phrase list; no rule reports a missing thanks);
//   - apology after complaint: of the replies to a complaint (the analyzer
//     reported courtesy.no-apology at warning or error, or the customer's
//     message matches the "complaint" phrase list), the share with no such
//     courtesy.no-apology that matches the "apology" list.
//
// # Canned clusters
//
// Replies of at least MinWords words are reduced to sets of hashed
// three-word shingles of their normalised words; a 64-value MinHash
// signature in 16 bands of 4 rows (locality-sensitive hashing) finds
// candidate near-copies, and the exact Jaccard similarity of the shingle
// sets, at or above the threshold (0.8), confirms them. A cluster is
// reported when it reaches the minimum size and went to at least two
// different customers. Its replies "answered different questions" when the
// customers' messages it answered are dissimilar (mean pairwise MinHash
// Jaccard estimate below 0.2): pre-written letters unrelated to the
// request. Only a bounded number of candidate clusters is held: the oldest
// singletons are evicted first, so templates that recur survive.
package audit
