package rules

import (
	"fmt"
	"strings"
)

// Markdown renders the catalogue of a ruleset as a Markdown table: id,
// category, level, mask, context and description. docs/catalogue.md is this
// output for the built-in pack (a test keeps it current).
func Markdown(rs *Ruleset) string {
	var b strings.Builder
	b.WriteString("# Data type catalogue\n\n")
	b.WriteString("Generated from `rules/builtin.yaml` by `go test ./rules -run TestCatalogueDoc -update`; do not edit by hand.\n\n")
	fmt.Fprintf(&b, "Ruleset `%s`, %d data types.\n\n", rs.ID(), len(rs.Rules))
	b.WriteString("| data_type | category | level | detection | mask | context (keywords / columns) | description |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range rs.Rules {
		det := "detector `" + r.Detector + "`"
		if r.Pattern != "" {
			det = "pattern"
			if r.Validator != "" {
				det += " + " + r.Validator
			}
		}
		if r.KeywordsRequired {
			det += ", keyword required"
		}
		ctx := strings.Join(first(r.Keywords, 6), ", ")
		if len(r.FieldNames) > 0 {
			ctx += " / " + strings.Join(first(r.FieldNames, 4), ", ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", r.ID, r.Category, levelText(r), det, maskText(r), esc(ctx), esc(r.Description))
	}
	b.WriteString("\nLevels: S1 lowest to S4 highest. Any finding whose data subject is a minor under 14 on the `--as-of` date is graded S4 (PIPL Art. 28).\n")
	if len(rs.Fields) > 0 {
		b.WriteString("\n## Field kinds used by record rules\n\n| kind | column / key names |\n|---|---|\n")
		for _, k := range FieldKinds {
			if v := rs.Fields[k]; len(v) > 0 {
				fmt.Fprintf(&b, "| %s | %s |\n", k, esc(strings.Join(v, ", ")))
			}
		}
	}
	return b.String()
}

func levelText(r Rule) string {
	if r.ID == "cn_resident_id" {
		return r.Level + " (S4 if minor)"
	}
	return r.Level
}

func maskText(r Rule) string {
	m := r.Mask
	switch m.Style {
	case "email":
		return "`a***@example.com`"
	case "ipv4":
		return "`10.20.*.*`"
	case "gps":
		return "rounded to 2 decimals"
	case "tag":
		return "`<redacted:" + r.Category + ">`"
	case "count":
		return "`<n> points`"
	case "full":
		return "all masked"
	}
	s := fmt.Sprintf("first %d, last %d", m.KeepFirst, m.KeepLast)
	if m.Fixed > 0 {
		s += fmt.Sprintf(", %d mask characters", m.Fixed)
	}
	return s
}

func first(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string{}, s[:n]...), "…")
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
