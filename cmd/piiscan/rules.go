package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

func newRulesCmd() *cobra.Command {
	var packs []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, show and try the rules",
	}
	cmd.PersistentFlags().StringArrayVar(&packs, "rules", nil, "user rule pack `FILE` (repeatable)")
	list := &cobra.Command{
		Use:   "list",
		Short: "One line per data type: id, category, level, description",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs, err := loadCheckedRuleset(cmd.Context(), packs)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCATEGORY\tLEVEL\tDESCRIPTION")
			for _, r := range rs.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Category, r.Level, r.Description)
			}
			return tw.Flush()
		},
	}
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print one rule as YAML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := loadCheckedRuleset(cmd.Context(), packs)
			if err != nil {
				return err
			}
			for _, r := range rs.Rules {
				if r.ID == args[0] {
					out, err := yaml.Marshal(r)
					if err != nil {
						return err
					}
					_, err = cmd.OutOrStdout().Write(out)
					return err
				}
			}
			return usageErr("no rule %q (see `piiscan rules list`)", args[0])
		},
	}
	test := &cobra.Command{
		Use:   "test (TEXT | -)",
		Short: "Scan a text (or stdin) and print what each rule finds, masked, with evidence",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := loadRuleset(packs)
			if err != nil {
				return err
			}
			text := []byte(args[0])
			if args[0] == "-" {
				if text, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 16<<20)); err != nil {
					return err
				}
			}
			eng, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("piiscan-rules-test")})
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if err := checkExamples(cmd.Context(), eng); err != nil {
				return err
			}
			return rulesTest(cmd.OutOrStdout(), eng, text)
		},
	}
	cmd.AddCommand(list, show, test)
	return cmd
}

// loadCheckedRuleset loads the rules for list and show. With user packs it
// also compiles them and runs their examples, so that a bad pack fails
// every command that loads it, as scan would.
func loadCheckedRuleset(ctx context.Context, packs []string) (*rules.Ruleset, error) {
	rs, err := loadRuleset(packs)
	if err != nil || len(packs) == 0 {
		return rs, err
	}
	eng, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("piiscan-rules-test")})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err := checkExamples(ctx, eng); err != nil {
		return nil, err
	}
	return rs, nil
}

// rulesTest prints the matches of text, one per line, masked.
func rulesTest(w io.Writer, eng *classifiers.Engine, text []byte) error {
	var ms []classifiers.Match
	em := matchList{ms: &ms}
	if err := eng.NewScanner().ScanText(context.Background(), text, 0, len(text), nil, em); err != nil {
		return err
	}
	if len(ms) == 0 {
		fmt.Fprintln(w, "no findings")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATA_TYPE\tLEVEL\tLINE:COL\tMASKED\tCONFIDENCE\tEVIDENCE")
	for _, m := range ms {
		line := 1 + bytes.Count(text[:m.Start], []byte{'\n'})
		col := 1 + len([]rune(string(text[bytes.LastIndexByte(text[:m.Start], '\n')+1:m.Start])))
		fmt.Fprintf(tw, "%s\t%s\t%d:%d\t%s\t%.2f\t%s\n", m.DataType, m.Level, line, col, m.Masked, m.Confidence, strings.TrimPrefix(m.Evidence, ","))
	}
	return tw.Flush()
}

type matchList struct{ ms *[]classifiers.Match }

func (l matchList) Match(m *classifiers.Match) error { *l.ms = append(*l.ms, *m); return nil }
func (l matchList) EndRecord(int64, bool) error      { return nil }
func (l matchList) Anchor(int) any                   { return nil }
