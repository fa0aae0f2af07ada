package classifiers

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// Negative labels: a number labelled as another kind of number (订单号,
// trace id, a column named order_id) is not a card or a phone, unless a
// keyword of the type stands nearer to it than the label. Case names, not
// the synthetic values, name the subtests.

// count returns how many matches of one data type the collector holds.
func (c *collector) count(dataType string) int {
	n := 0
	for _, m := range c.ms {
		if m.DataType == dataType {
			n++
		}
	}
	return n
}

func TestNegativeLabelsText(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	const card, card2 = "6222021234567894", "4111111111111111"
	tests := []struct {
		name, text, dataType string
		want                 int
	}{
		// Labelled as other numbers.
		{"order no zh", "订单号：" + card + "，金额 12.50，状态：已发货", "bank_card", 0},
		{"waybill zh", "运单号 " + card + " 已由快递员揽收", "bank_card", 0},
		{"serial zh", "交易流水号：" + card + "，请妥善保存", "bank_card", 0},
		{"courier zh", "快递单号：" + card2, "bank_card", 0},
		{"merchant zh", "商户号 " + card2, "bank_card", 0},
		{"order no en", "Order no. " + card2 + " shipped, total 12.50", "bank_card", 0},
		{"transaction id", "transaction id " + card2 + " settled", "bank_card", 0},
		{"transaction id caps", "Transaction ID: " + card2, "bank_card", 0},
		{"trace id", "trace id " + card2 + ", span ok", "bank_card", 0},
		{"trace key", "traceId=" + card2, "bank_card", 0},
		{"request id", "request id: " + card2 + " completed", "bank_card", 0},
		{"payment id", "payment id " + card2 + " captured", "bank_card", 0},
		{"reference", "reference no. " + card2, "bank_card", 0},
		{"ref key", "ref_no=" + card2, "bank_card", 0},
		{"txn key", "txn_id=" + card2 + " amount=3.00", "bank_card", 0},
		{"tracking", "tracking no. " + card2 + " delivered", "bank_card", 0},
		{"invoice", "invoice no. " + card2 + " issued", "bank_card", 0},
		// A card keyword further from the value than the label, or after
		// it, belongs to something else.
		{"card word after the value", "支付单号：" + card + "，支付方式：银行卡", "bank_card", 0},
		{"card word after en", "Order no. " + card2 + " paid by credit card", "bank_card", 0},
		{"card word before the label", "银行卡交易流水号：" + card, "bank_card", 0},
		{"card on the next line", "运单号 " + card + " 已揽收\n卡号 " + card2, "bank_card", 1},
		{"label alone at a line end", "订单号：\n" + card, "bank_card", 0},
		// Cards.
		{"card no zh", "卡号 " + card, "bank_card", 1},
		{"card number en", "card number " + card2, "bank_card", 1},
		{"card word nearer zh", "订单 20261 已支付，卡号 " + card, "bank_card", 1},
		{"card word nearer en", "Order 1234 paid with card " + card2, "bank_card", 1},
		{"two values", "订单号：" + card + "，卡号：" + card2, "bank_card", 1},
		{"label of an earlier sentence", "订单号 123 已完成。" + card + " 是新卡", "bank_card", 1},
		{"label of an earlier line", "订单号 123 已发货\n" + card, "bank_card", 1},
		{"header line", "姓名 手机 订单号\n张三 13812348000 20261", "cn_mobile", 1},
		{"label alone at a line end, indented value", "Order no.\n  " + card2, "bank_card", 0},
		{"no label", "payment " + card2, "bank_card", 1},
		// Phones labelled as ids; a phone keyword nearer wins.
		{"mobile trace id", "trace id 13812348000", "cn_mobile", 0},
		{"mobile request id", "request_id=13812348000", "cn_mobile", 0},
		{"mobile order then phone", "订单号 13812348000，手机 13912345678", "cn_mobile", 1},
		{"mobile phone word after", "订单号 13812348000 联系电话", "cn_mobile", 0},
		// A resident ID's date and MOD 11-2 prove it whatever the label.
		{"resident id after serial", "流水号 11010519491231002X", "cn_resident_id", 1},
		{"resident id after order", "订单号：440104195101058590", "cn_resident_id", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).count(tt.dataType))
		})
	}
}

func TestNegativeLabelsRecords(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	const card = "6222021234567894"
	tests := []struct {
		name     string
		header   []string
		row      []string
		dataType string
		want     int
	}{
		{"order_id", []string{"order_id", "amount"}, []string{card, "12.50"}, "bank_card", 0},
		{"ref_no", []string{"ref_no", "created_at"}, []string{card, "2026-11-17"}, "bank_card", 0},
		{"trace_id", []string{"trace_id"}, []string{card}, "bank_card", 0},
		{"transaction_id", []string{"transaction_id"}, []string{card}, "bank_card", 0},
		{"tracking_no", []string{"tracking_no"}, []string{card}, "bank_card", 0},
		// A card keyword in another value of the record does not name
		// this one.
		{"card word in another column", []string{"order_id", "pay_method"}, []string{card, "credit card"}, "bank_card", 0},
		// A card word inside the value, or a card column, does.
		{"card word in the value", []string{"order_note"}, []string{"卡号 " + card}, "bank_card", 1},
		{"card_no", []string{"order_id", "card_no"}, []string{"20261", card}, "bank_card", 1},
		{"card column named with an order word", []string{"order_card_no"}, []string{card}, "bank_card", 1},
		{"mobile trace_id", []string{"trace_id"}, []string{"13812348000"}, "cn_mobile", 0},
		// A label on an ancestor key names the object, not the value: a
		// keyword elsewhere in the record still counts.
		{"ancestor label, keyword in the record", []string{"$.order.note", "$.order.remark"}, []string{"13812348000", "手机号码见备注"}, "cn_mobile", 1},
		{"ancestor label, no keyword", []string{"$.order.note"}, []string{"13812348000"}, "cn_mobile", 0},
		{"own label nested", []string{"$.order.ref_no", "$.order.remark"}, []string{card, "银行卡支付"}, "bank_card", 0},
		// A digit-only 18-digit id passes the credit code's checks now and then.
		{"credit code ref_no", []string{"ref_no"}, []string{"893198797198377412"}, "cn_uscc", 0},
		{"credit code out_trade_no", []string{"out_trade_no"}, []string{"893198797198377412"}, "cn_uscc", 0},
		{"credit code column", []string{"credit_code"}, []string{"893198797198377412"}, "cn_uscc", 1},
		{"credit code with letters", []string{"ref_no"}, []string{"91350100M000100Y43"}, "cn_uscc", 1},
		{"resident id in order_no", []string{"order_no"}, []string{"11010519491231002X"}, "cn_resident_id", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := scanTable(t, e, tt.header, [][]string{tt.row})
			assert.Equal(t, tt.want, c.count(tt.dataType))
		})
	}
}

// withLuhnDigit appends the Luhn check digit to d.
func withLuhnDigit(d []byte) []byte {
	for c := byte('0'); c <= '9'; c++ {
		if luhn(append(d, c)) {
			return append(d, c)
		}
	}
	panic("unreachable")
}

// TestNegativeLabelsGenerated writes a seeded log of business ids that all
// pass Luhn in a card network's range and length, each after a label of
// its kind (as order, waybill and transaction logs are), among lines with
// card numbers after a card keyword: no id is a card, every card is.
func TestNegativeLabelsGenerated(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	labels := []string{
		"订单号：%s，金额 12.50，状态：已发货", "运单号 %s 已由快递员揽收", "交易流水号：%s，请妥善保存",
		"快递单号：%s，预计明天送达", "交易号 %s 支付成功", "支付单号：%s，支付方式：银行卡", "商户订单号：%s",
		"退款流水号 %s 已原路退回至银行卡", "Order no. %s shipped, total 12.50", "Waybill %s is out for delivery",
		"transaction id %s settled", "Transaction ID: %s", "trace id %s, span ok", "request id: %s completed",
		"txn %s approved", "tracking no. %s delivered", "invoice no. %s issued", "order_id=%s status=paid",
		"txn_id=%s amount=3.00", "reference no. %s", "payment id %s captured", "Order no. %s paid by credit card",
	}
	cards := []string{"卡号 %s", "card number %s", "订单 20261 已支付，卡号 %s", "银行卡：%s，持卡人已验证", "Order 1234 paid with card %s"}
	r := rand.New(rand.NewPCG(7, 11))
	cardLike := func() string {
		for {
			n := 13 + r.IntN(7)
			d := []byte{byte('1' + r.IntN(9))}
			for len(d) < n-1 {
				d = append(d, byte('0'+r.IntN(10)))
			}
			if d = withLuhnDigit(d); cardIIN(d) && cardLength(d) {
				return string(d)
			}
		}
	}
	var b strings.Builder
	wantCards := 0
	for i := range 2000 {
		fmt.Fprintf(&b, "2026-11-17 10:%02d:%02d.000 INFO  [trade] ", i/60%60, i%60)
		if i%10 == 0 {
			fmt.Fprintf(&b, cards[r.IntN(len(cards))]+"\n", cardLike())
			wantCards++
			continue
		}
		fmt.Fprintf(&b, labels[r.IntN(len(labels))]+"\n", cardLike())
	}
	text := b.String()
	whole := scanString(t, e, text)
	assert.Equal(t, wantCards, whole.count("bank_card"))
	assert.Equal(t, len(whole.ms), whole.count("bank_card"), "no other type")
	// The label is read backwards from the value: chunks cut anywhere give
	// the same matches (the look-behind holds the label).
	for _, owned := range []int{1, 7, 64, 4096} {
		t.Run(fmt.Sprintf("owned=%d", owned), func(t *testing.T) {
			t.Parallel()
			got := scanChunked(t, e.NewScanner(), text, owned)
			require.Equal(t, len(whole.ms), len(got))
			assert.Equal(t, whole.ms, got)
		})
	}
}

func TestKwIndexLast(t *testing.T) {
	t.Parallel()
	kws := []keyword{newKeyword("单号"), newKeyword("快递"), newKeyword("order"), newKeyword("ref")}
	x := newKwIndex(kws)
	tests := []struct {
		text       string
		start, end int
	}{
		{"快递单号：", 6, 12},
		{"Order no. ", 0, 5},
		{"reorder ", -1, -1},     // not at a word start
		{"refund ", -1, -1},      // short keywords are whole words
		{"ref_no=", 0, 3},        // '_' ends a word
		{"order 1, ref ", 9, 12}, // the last one
		{"单号 order 快递", 13, 19},  // the last start
	}
	for _, tt := range tests {
		s, e := x.last([]byte(tt.text), kws)
		assert.Equal(t, [2]int{tt.start, tt.end}, [2]int{s, e}, tt.text)
	}
}

// TestNegativeLabelsUserRule: a user pack's negative_keywords work as the
// built-in ones do.
func TestNegativeLabelsUserRule(t *testing.T) {
	t.Parallel()
	p, err := rules.Load(strings.NewReader(`
version: "team-2"
rules:
  - id: badge_no
    category: identity
    level: S2
    pattern: 'BDG-\d{5}'
    keywords: [badge, 工牌]
    negative_keywords: [ticket, 工单]
`), "team.yaml")
	require.NoError(t, err)
	e := builtinEngine(t, p)
	tests := []struct {
		name, text string
		want       int
	}{
		{"no label", "visitor BDG-12345", 1},
		{"label", "ticket BDG-12345", 0},
		{"keyword after the value", "工单 BDG-12345 工牌已归还", 0},
		{"keyword nearer", "工单 7，工牌 BDG-12345", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).count("badge_no"))
		})
	}
	c := scanTable(t, e, []string{"ticket_id", "badge"}, [][]string{{"BDG-12345", "BDG-54321"}})
	assert.Equal(t, 1, c.count("badge_no"), "the column named ticket_id labels its value")
}
