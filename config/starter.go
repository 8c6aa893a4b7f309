package config

// Starter is the commented configuration `replylint init` writes. Every
// line that is not a comment is a valid default, so the file parses as is.
const Starter = `# replylint configuration — https://github.com/replylint/replylint
# Found upward from the working directory, or given with --config.
# Command-line flags win over the values here.

# Defaults for the command-line flags.
lang: auto          # auto, en, ar, fa, ru, or a tag such as fa-IR
kind: email         # email, chat or text
fail_on: error      # error, warning or never
min_severity: warning

# Run only some rules or categories (empty: all), or turn some off.
# 'replylint rules' lists them.
enable: []
disable: []
#  - courtesy.no-signoff

# Change severities, per rule id or category.
severity: {}
#  overpromise: error

# The team's own rule files or folders (same format as the built-in ones).
rules: []
#  - replylint-rules/

# Phrases the team accepts: findings on them are reported as suppressed.
allow: []
#  - "nothing I can do about the weather"

# Known agents: name as in From: or the transcript's author, team, emails.
agents: []
#  - {name: Anna Petrova, team: billing, emails: [anna@example.com]}

# Thresholds of the context checks.
thresholds:
  chat_reply: 15m            # a chat reply later than this is 'responsiveness'
  email_reply: 24h           # an email reply later than this
  relevance_min_words: 8     # shorter customer messages are not judged for relevance

# The team's reply templates: a reply that is a near-copy of one, with its
# placeholders not personalised, is flagged 'canned'.
# templates: {dir: templates/, threshold: 0.8}

# Suppressions need a reason; one that matches nothing is reported.
suppress: []
#  - rule: dismissive.as-i-said
#    paths: ["legacy/**"]
#    reason: old macros, rewritten in Q3
`
