package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// corpus pools: customer questions (distinct topics), agent replies (good
// and bad, several languages) and one canned template.
var (
	agents    = []string{"Anna", "Boris", "Chloe", "Dmitri", "Farah", "Layla"}
	customers = []string{"Mary Johnson", "Ivan Petrov", "Sara Ahmadi", "Omar Haddad", "Tom Baker", "Lena Koch", "Ali Rezaei", "Nina Ross"}
	questions = []string{
		"I was charged twice for order #%d. Can you refund the duplicate?",
		"My parcel %d never arrived and it has been two weeks, this is unacceptable.",
		"How do I change the delivery address on order %d?",
		"The app crashes every time I open the settings page on my phone.",
		"Can I upgrade my plan to the family tier before the next billing date?",
		"Здравствуйте! Заказ №%d не пришёл, хотя срок доставки прошёл неделю назад.",
		"سلام، سفارش %d من هنوز نرسیده است. لطفا پیگیری کنید.",
		"مرحبا، لم يصل طلبي رقم %d بعد. هل يمكنكم المساعدة؟",
	}
	replies = []string{
		"Hi {c}, thanks for reaching out! I'm sorry about the trouble. I've refunded the duplicate payment; it will show within 3-5 business days. Best regards, {a}",
		"Hi {c}, that's not my department, you need to contact the billing department yourself.",
		"Hello {c}, it's company policy, I can't do anything about it.",
		"As I already told you, you should have read the terms before ordering.",
		"Hi {c}, sorry for the wait! I have updated the address on your order and the courier has the new one. Have a great day, {a}",
		"I guarantee it will be fixed tomorrow, 100% this won't happen again.",
		"Здравствуйте, {c}! Это не моя компетенция, обратитесь в другой отдел.",
		"سلام {c}، این مسئولیت من نیست.",
		"مرحبا {c}، هذه ليست مسؤوليتي.",
		"Hi {c}, thanks for your patience. I checked with the warehouse myself and your parcel ships today. Kind regards, {a}",
	}
	template = "Dear valued customer, thank you for contacting us. Your request has been received and will be processed by our team within five to seven business days. Please do not reply to this email as this mailbox is not monitored. Kind regards, The Support Team"
)

type turn struct {
	Conversation string `json:"conversation_id"`
	Role         string `json:"role"`
	Author       string `json:"author"`
	Text         string `json:"text"`
	Timestamp    string `json:"timestamp"`
}

// genCorpus writes JSONL transcripts of about size bytes: conversations of
// a customer question and one or two agent replies, a tenth of them the
// canned template. It returns the bytes written.
func genCorpus(w io.Writer, size int64, seed uint64) (int64, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := &countWriter{w: bw}
	enc := json.NewEncoder(cw)
	enc.SetEscapeHTML(false)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; cw.n < size; i++ {
		conv := fmt.Sprintf("c-%d", i)
		cust := customers[rng.IntN(len(customers))]
		agent := agents[rng.IntN(len(agents))]
		at := t0.Add(time.Duration(i) * 7 * time.Minute)
		q := questions[rng.IntN(len(questions))]
		if err := enc.Encode(turn{conv, "customer", cust, fmt.Sprintf(q, 1000+i), at.Format(time.RFC3339)}); err != nil {
			return cw.n, err
		}
		n := 1 + rng.IntN(2)
		for k := range n {
			at = at.Add(time.Duration(30+rng.IntN(600)) * time.Second)
			text := template
			if rng.IntN(10) != 0 || k > 0 {
				text = strings.NewReplacer("{c}", cust, "{a}", agent).Replace(replies[rng.IntN(len(replies))])
			}
			if err := enc.Encode(turn{conv, "agent", agent, text, at.Format(time.RFC3339)}); err != nil {
				return cw.n, err
			}
		}
	}
	return cw.n, bw.Flush()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
