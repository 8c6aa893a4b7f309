package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Formats are the report formats Write knows (jsonl is the map output,
// written by RecordWriter as the messages come).
var Formats = []string{"table", "csv", "json", "jsonl", "html"}

// Write writes rep in format (table, csv, json or html).
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "table":
		return WriteTable(w, rep)
	case "csv":
		return WriteCSV(w, rep)
	case "json":
		return WriteJSON(w, rep)
	case "html":
		return WriteHTML(w, rep)
	}
	return fmt.Errorf("unknown format %q", format)
}

// WriteJSON writes rep as one indented JSON object.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// CSV columns before the per-category ones; the first is named after --by.
var csvColumns = []string{"messages", "score", "clean", "failed", "findings",
	"greeting", "thanks", "apology_after_complaint", "signoff", "median_reply_seconds", "top_phrase"}

// WriteCSV writes one row per group: the group, its counts and rates, then
// for each category with findings its count and its rate per 100 agent
// messages (columns CATEGORY and CATEGORY_per_100).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	head := append([]string{rep.By}, csvColumns...)
	for _, c := range rep.Categories {
		head = append(head, c)
	}
	for _, c := range rep.Categories {
		head = append(head, c+"_per_100")
	}
	cw.Write(head)
	for _, g := range rep.Groups {
		top := ""
		if len(g.TopPhrases) > 0 {
			top = g.TopPhrases[0].Name
		}
		row := []string{g.Group, strconv.Itoa(g.Messages), ftoa(g.Score), ftoa(g.Clean), strconv.Itoa(g.Failed),
			strconv.Itoa(g.Findings), optRate(g.Courtesy.Greeting), optRate(g.Courtesy.Thanks),
			optRate(g.Courtesy.ApologyAfterComplaint), optRate(g.Courtesy.Signoff), optRate(g.MedianReplySeconds), top}
		for _, c := range rep.Categories {
			row = append(row, strconv.Itoa(g.ByCategory[c]))
		}
		for _, c := range rep.Categories {
			row = append(row, ftoa(g.Per100[c]))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func optRate(p *float64) string {
	if p == nil {
		return ""
	}
	return ftoa(*p)
}

// WriteTable writes the scorecards for a terminal: one line per group,
// the clusters and what was skipped.
func WriteTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tmsgs\tscore\tclean\tfailed\t/100\tgreet\tthanks\tapology\tsign-off\treply\t top categories per 100 msgs\t\n", strings.ToUpper(rep.By))
	for _, g := range rep.Groups {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t %s\t\n", g.Group, g.Messages, g.Score, pct(&g.Clean),
			g.Failed, per100(g.Findings, g.Messages), pct(g.Courtesy.Greeting), pct(g.Courtesy.Thanks),
			pct(g.Courtesy.ApologyAfterComplaint), pct(g.Courtesy.Signoff), dur(g.MedianReplySeconds), topCats(g))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := rep.Summary
	fmt.Fprintf(w, "\n%d messages in %d inputs, %d findings, score %.1f", s.Messages, s.Files, s.Findings, s.Score)
	if s.Skipped > 0 {
		fmt.Fprintf(w, "; %d skipped (could not be read)", s.Skipped)
	}
	fmt.Fprintln(w)
	if s.FindingsOnly > 0 {
		fmt.Fprintf(w, "%d messages known only from their findings: clean messages of that input are not counted\n", s.FindingsOnly)
	}
	if len(rep.Clusters) > 0 {
		fmt.Fprintf(w, "\nCanned clusters (near-identical replies to different customers):\n")
		for i, c := range rep.Clusters {
			if i == 10 {
				fmt.Fprintf(w, "  ... and %d more\n", len(rep.Clusters)-10)
				break
			}
			note := ""
			if c.DifferentQuestions {
				note = ", answered different questions"
			}
			var agents []string
			for _, a := range c.Agents {
				agents = append(agents, fmt.Sprintf("%s ×%d", a.Name, a.Count))
			}
			fmt.Fprintf(w, "  %d replies to %d customers%s (%s): %q\n", c.Size, c.Customers, note,
				strings.Join(agents, ", "), oneLine(c.Example, 90))
		}
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(w, "\nSkipped:\n")
		for _, sk := range rep.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", sk.Path, sk.Reason)
		}
		if s.Skipped > len(rep.Skipped) {
			fmt.Fprintf(w, "  ... and %d more\n", s.Skipped-len(rep.Skipped))
		}
	}
	return nil
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100**p)
}

func dur(p *float64) string {
	if p == nil {
		return "-"
	}
	return (time.Duration(*p) * time.Second).String()
}

func topCats(g Scorecard) string {
	top := topCounts(g.ByCategory, 3)
	var out []string
	for _, t := range top {
		out = append(out, fmt.Sprintf("%s %.1f", t.Name, g.Per100[t.Name]))
	}
	return strings.Join(out, ", ")
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
