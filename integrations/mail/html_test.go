package mail

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"entities", "<p>Fish &amp; chips &lt;3 &eacute;t&eacute; &#8212; &nbsp;ok</p>", "Fish & chips <3 été — ok"},
		{"blocks", "<div>one</div><div>two<br>three</div><ul><li>a</li><li>b</li></ul><h2>Title</h2>tail", "one\ntwo\nthree\n\na\nb\n\nTitle\n\ntail"},
		{"empty div with br is a blank line", "<div>Hi,</div><div><br></div><div>text</div>", "Hi,\n\ntext"},
		{"script and style dropped", "<style>p{}</style><p>a<script>x()</script>b</p><noscript>no</noscript>", "ab"},
		{"white space collapsed", "<p>  a \n\t b  </p><p>c <b>d</b> e</p>", "a b\n\nc d e"},
		{"table cells", "<table><tr><td>Order</td><td>#42</td></tr><tr><td>Total</td><td>$9</td></tr></table>", "Order #42\nTotal $9"},
		{"blockquote quoted", "<p>Yes.</p><blockquote>Is it <i>done</i>?<blockquote>older</blockquote></blockquote>", "Yes.\n\n> Is it done?\n>> older"},
		{"gmail quote", `<div>Done.</div><div class="gmail_quote"><div class="gmail_attr">On Mon, Jan 8, 2024 at 9:00 AM A &lt;a@x.com&gt; wrote:<br></div><blockquote class="gmail_quote">help</blockquote></div>`,
			"Done.\nOn Mon, Jan 8, 2024 at 9:00 AM A <a@x.com> wrote:\n> help"},
		{"pre kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"rtl text", `<div dir="rtl">سلام،<br>مرحبا</div>`, "سلام،\nمرحبا"},
		{"broken html", "<p>unclosed <b>bold <div>and</p> more", "unclosed bold\n\nand\n\nmore"},
	}
	for _, tt := range tests {
		if got := htmlToText(tt.html); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
