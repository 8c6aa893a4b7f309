// Package mail reads support replies written as email: single RFC 5322
// messages (.eml), mbox files and Maildir folders.
//
// Read decodes a message with go-message: MIME structure, transfer
// encodings, every charset golang.org/x/text knows and RFC 2047 headers. It
// picks the text to lint (text/plain over text/html in an alternative, every
// inline text part of a mixed or related message, never an attachment),
// turns HTML into readable text and splits the result with Split into the
// agent's new text (Body), the quoted customer message (Quoted) and the
// signature. Message.Document hands the result to the analyzer.
//
// Broken input never panics: Read keeps the best text it can and explains
// what it could not decode in Message.Warnings, or returns a one-line error
// when the input is not a message at all. ReadMbox and ReadMaildir report a
// bad message through their callback and go on with the next one.
package mail
