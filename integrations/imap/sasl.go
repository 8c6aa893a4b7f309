package imap

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/emersion/go-sasl"
)

// The OAuth 2.0 SASL mechanisms.
const (
	OAuthBearer = "OAUTHBEARER" // RFC 7628
	XOAuth2     = "XOAUTH2"     // Google's and Microsoft's predecessor of OAUTHBEARER
)

// OAuthClient is a sasl.Client for OAUTHBEARER or XOAUTH2.
//
// go-sasl has no XOAUTH2, and its OAUTHBEARER client returns an error on
// the server's error challenge without answering it, which leaves the
// AUTHENTICATE command waiting forever. OAuthClient answers that challenge
// as the mechanisms require (an empty response for XOAUTH2, a single 0x01
// for OAUTHBEARER, RFC 7628 section 3.2.3) so that the server finishes the
// exchange with NO, and keeps the server's explanation for the error
// message.
type OAuthClient struct {
	Mech  string // OAuthBearer or XOAuth2
	User  string
	Token string
	Host  string // OAUTHBEARER only; optional
	Port  int    // OAUTHBEARER only; optional

	failure *OAuthFailure
}

// OAuthFailure is the JSON error a server sends when it refuses a token.
type OAuthFailure struct {
	Status  string `json:"status"`
	Schemes string `json:"schemes,omitempty"`
	Scope   string `json:"scope,omitempty"`
}

var _ sasl.Client = (*OAuthClient)(nil)

// Start returns the mechanism and the initial response carrying the token.
func (c *OAuthClient) Start() (mech string, ir []byte, err error) {
	switch c.Mech {
	case OAuthBearer:
		s := "n,"
		if c.User != "" {
			s += "a=" + saslName(c.User)
		}
		s += ","
		if c.Host != "" {
			s += "\x01host=" + c.Host
		}
		if c.Port != 0 {
			s += "\x01port=" + strconv.Itoa(c.Port)
		}
		s += "\x01auth=Bearer " + c.Token + "\x01\x01"
		return OAuthBearer, []byte(s), nil
	case XOAuth2:
		return XOAuth2, []byte("user=" + c.User + "\x01auth=Bearer " + c.Token + "\x01\x01"), nil
	}
	return "", nil, fmt.Errorf("unknown OAuth mechanism %q", c.Mech)
}

// Next answers the server's error challenge so that the exchange ends.
func (c *OAuthClient) Next(challenge []byte) ([]byte, error) {
	f := &OAuthFailure{}
	if err := json.Unmarshal(challenge, f); err != nil || f.Status == "" {
		f.Status = "unreadable error challenge"
	}
	c.failure = f
	if c.Mech == OAuthBearer {
		return []byte{0x01}, nil
	}
	return []byte{}, nil
}

// Failure returns the server's explanation of a refused token, or nil.
func (c *OAuthClient) Failure() *OAuthFailure { return c.failure }

// saslName escapes a user name for a GS2 header (RFC 5801): "," and "=".
func saslName(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',':
			out = append(out, "=2C"...)
		case '=':
			out = append(out, "=3D"...)
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}
