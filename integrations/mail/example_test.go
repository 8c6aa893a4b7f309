package mail_test

import (
	"fmt"
	"strings"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/integrations/mail"
)

func Example() {
	const eml = "From: Anna <anna@support.example.ru>\r\n" +
		"To: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>\r\n" +
		"Subject: Re: order 4821\r\n" +
		"Date: Tue, 16 Jan 2024 09:30:00 +0300\r\n" +
		"Message-ID: <42@support.example.ru>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Здравствуйте, Иван! Заказ отправлен сегодня.\r\n" +
		"-- \r\n" +
		"Анна, служба поддержки\r\n" +
		"\r\n" +
		"15.01.2024 10:42, Иван Петров написал(а):\r\n" +
		"> Где мой заказ?\r\n"

	m, err := mail.Read(strings.NewReader(eml), mail.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("body: %q\n", m.Body)
	fmt.Printf("quoted: %q\n", m.Quoted)
	fmt.Printf("signature: %q\n", m.Signature)
	fmt.Println("customer:", m.ToName, "wrote", m.QuotedDate.Format("2006-01-02 15:04"))

	doc := m.Document(analyzer.Source{Path: "draft.eml"}, analyzer.KindEmail, "")
	fmt.Println("source:", doc.Source.Path, doc.Source.MessageID)
	// Output:
	// body: "Здравствуйте, Иван! Заказ отправлен сегодня."
	// quoted: "Где мой заказ?"
	// signature: "Анна, служба поддержки"
	// customer: Иван Петров wrote 2024-01-15 10:42
	// source: draft.eml <42@support.example.ru>
}
