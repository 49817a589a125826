// The second reference peer of bench_fanout: the broadcast server of bench/peer/server.js
// written in Go on gorilla/websocket, a goroutine per connection reading and one writing, so
// that it uses every core it is given where the Node.js peer uses one. Same frames, same
// checks, same answers; like the Node peer it keeps nothing and does not store, deduplicate,
// catch up, rate-limit or time out.
//
//	peer-go [--host 127.0.0.1] [--port 0] | peer-go --version
//
// The first line on stdout is "listening ws://HOST:PORT" with the real port. SIGTERM and SIGINT
// close every client with 1001 and exit once they have answered, or after 2 s.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// docs/protocol.md: a frame may carry up to 64 KiB of payload.
const (
	maxPayload      = 64 * 1024
	protocolVersion = 1
	maxName         = 64
	maxTextBytes    = 16 * 1024
	shutdownGrace   = 2 * time.Second
)

func usage(problem string) {
	fmt.Fprintf(os.Stderr, "bench peer: %s\nusage: peer-go [--host ADDRESS] [--port N]\n", problem)
	os.Exit(2)
}

func parseArguments(args []string) (string, int) {
	host, port := "127.0.0.1", 0
	for i := 0; i < len(args); i += 2 {
		name := args[i]
		if name == "--version" {
			// What bench_fanout records with its figures.
			fmt.Println(runtime.Version())
			os.Exit(0)
		}
		if name != "--host" && name != "--port" {
			usage(fmt.Sprintf("unknown option %q", name))
		}
		if i+1 >= len(args) {
			usage(name + " needs a value")
		}
		value := args[i+1]
		if name == "--host" {
			if value == "localhost" {
				value = "127.0.0.1"
			}
			host = value
			continue
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 65535 {
			usage(fmt.Sprintf("--port %q is not a number from 0 to 65535", value))
		}
		port = n
	}
	return host, port
}

// The frames this peer sends, their fields in the order lifeline-server and the Node peer
// write them: the load generator finds "type" first and the text where it expects it.
type welcomeFrame struct {
	Type      string   `json:"type"`
	Version   int      `json:"version"`
	UID       string   `json:"uid"`
	Throttled []string `json:"throttled"`
}

type errorFrame struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details"`
}

type pongFrame struct {
	Type string      `json:"type"`
	ID   json.Number `json:"id"`
}

type syncedFrame struct {
	Type string `json:"type"`
	Seq  int64  `json:"seq"`
}

type ackFrame struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  int64  `json:"seq"`
}

type nackFrame struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type messageFrame struct {
	Type   string      `json:"type"`
	ID     string      `json:"id"`
	Room   string      `json:"room"`
	Sender string      `json:"sender"`
	Text   string      `json:"text"`
	Seq    int64       `json:"seq"`
	SentAt json.Number `json:"sentAt"`
}

// encode writes a frame as JSON.stringify would: no HTML escaping, no trailing newline.
func encode(frame interface{}) []byte {
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(frame); err != nil {
		panic(err) // only our own frame types come here
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

// The protocol's integers: JSON numbers with an integral value of at most 2^53.
func isInteger(value interface{}) bool {
	n, ok := value.(json.Number)
	if !ok {
		return false
	}
	f, err := n.Float64()
	return err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53
}

func isString(value interface{}) bool {
	_, ok := value.(string)
	return ok
}

func isBool(value interface{}) bool {
	_, ok := value.(bool)
	return ok
}

type field struct {
	name  string
	check func(interface{}) bool
}

// The fields each client frame must have, as core/protocol/protocol.cpp checks them.
var schemas = map[string][]field{
	"hello":  {{"version", isInteger}, {"appId", isString}, {"uid", isString}, {"token", isString}},
	"ping":   {{"id", isInteger}},
	"sync":   {{"since", isInteger}},
	"send":   {{"id", isString}, {"room", isString}, {"text", isString}, {"sentAt", isInteger}},
	"typing": {{"room", isString}, {"typing", isBool}},
}

// decode returns the frame's fields, or what is wrong with it.
func decode(data []byte) (map[string]interface{}, string) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var value interface{}
	if err := decoder.Decode(&value); err != nil {
		return nil, fmt.Sprintf("not valid JSON (%v)", err)
	}
	if decoder.More() {
		return nil, "not valid JSON (text after the value)"
	}
	frame, ok := value.(map[string]interface{})
	if !ok {
		return nil, "the frame is not a JSON object"
	}
	kind, ok := frame["type"].(string)
	if !ok {
		return nil, `the frame has no string "type"`
	}
	schema, ok := schemas[kind]
	if !ok {
		return nil, fmt.Sprintf("%q is not a frame a client may send", kind)
	}
	for _, f := range schema {
		if !f.check(frame[f.name]) {
			return nil, fmt.Sprintf("%q needs the field %q of the right type", kind, f.name)
		}
	}
	return frame, ""
}

// Length as JavaScript's String.length counts it: UTF-16 code units, two for a rune beyond the
// Basic Multilingual Plane (a surrogate pair), one for any other.
func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// One item for a connection's writer: a frame, a prepared broadcast frame, or the close frame.
type outgoing struct {
	data      []byte
	prepared  *websocket.PreparedMessage
	closeCode int
	reason    string
}

// client is one connection: its reader is the handler's goroutine, its writer another one fed
// through an unbounded queue, so a slow reader never holds up the broadcast.
type client struct {
	conn    *websocket.Conn
	mu      sync.Mutex
	queue   []outgoing
	ready   chan struct{} // one token: the queue has something
	closing bool
	done    chan struct{} // closed when the connection is gone
}

func newClient(conn *websocket.Conn) *client {
	c := &client{conn: conn, ready: make(chan struct{}, 1), done: make(chan struct{})}
	go c.write()
	return c
}

func (c *client) push(item outgoing) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if item.closeCode != 0 {
		c.closing = true
	}
	c.queue = append(c.queue, item)
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

func (c *client) send(frame interface{}) { c.push(outgoing{data: encode(frame)}) }

// refuse sends an error frame and, with a close code, closes after it: in this order, because
// the writer takes them from one queue.
func (c *client) refuse(code, message, details string, closeCode int, reason string) {
	c.send(errorFrame{"error", code, message, details})
	if closeCode != 0 {
		c.push(outgoing{closeCode: closeCode, reason: reason})
	}
}

func (c *client) write() {
	for {
		select {
		case <-c.ready:
		case <-c.done:
			return
		}
		c.mu.Lock()
		items := c.queue
		c.queue = nil
		c.mu.Unlock()
		for _, item := range items {
			var err error
			switch {
			case item.prepared != nil:
				err = c.conn.WritePreparedMessage(item.prepared)
			case item.closeCode != 0:
				err = c.conn.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(item.closeCode, item.reason),
					time.Now().Add(shutdownGrace))
			default:
				err = c.conn.WriteMessage(websocket.TextMessage, item.data)
			}
			if err != nil {
				return // the reader finds out too, and forgets the connection
			}
		}
	}
}

type server struct {
	mu      sync.Mutex // orders the broadcasts: every client hears them in one order
	seq     int64
	live    map[*client]struct{}
	clients map[*client]struct{}
	empty   chan struct{} // signalled when the last client goes, during shutdown
	down    bool
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	// Not a browser service: any origin, as the Node peer.
	CheckOrigin:       func(*http.Request) bool { return true },
	EnableCompression: false,
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered with the HTTP error
	}
	conn.SetReadLimit(maxPayload)
	c := newClient(conn)
	s.mu.Lock()
	if s.down {
		s.mu.Unlock()
		c.push(outgoing{closeCode: websocket.CloseGoingAway, reason: "the server is shutting down"})
	} else {
		s.clients[c] = struct{}{}
		s.mu.Unlock()
	}
	s.read(c)
	s.mu.Lock()
	delete(s.live, c)
	if _, counted := s.clients[c]; counted {
		delete(s.clients, c)
		if s.down && len(s.clients) == 0 {
			close(s.empty)
		}
	}
	s.mu.Unlock()
	close(c.done)
	conn.Close()
}

func (s *server) read(c *client) {
	uid := ""
	synced := false
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if kind == websocket.BinaryMessage {
			c.push(outgoing{closeCode: websocket.CloseUnsupportedData,
				reason: "binary frames are not part of the protocol"})
			continue
		}
		frame, problem := decode(data)
		if problem != "" {
			if uid == "" {
				c.refuse("ERR_PROTOCOL", problem,
					`The first frame on a connection must be a valid "hello".`, 4000,
					"protocol violation")
			} else {
				c.refuse("ERR_PROTOCOL", problem, "The frame was ignored and the connection stays open.", 0, "")
			}
			continue
		}
		kindName := frame["type"].(string)
		if uid == "" {
			s.hello(c, frame, kindName, &uid)
			continue
		}
		switch kindName {
		case "hello":
			c.refuse("ERR_PROTOCOL", `"hello" was already sent on this connection`, "The frame was ignored.", 0, "")
		case "ping":
			c.send(pongFrame{"pong", frame["id"].(json.Number)})
		case "sync":
			since, _ := frame["since"].(json.Number).Float64()
			if synced {
				c.refuse("ERR_PROTOCOL", `"sync" was already sent on this connection`, "The frame was ignored.", 0, "")
			} else if since < 0 {
				c.refuse("ERR_INVALID_ARGUMENT", `"since" must be 0 or more`, "Send 0 or the highest seq seen.", 0, "")
			} else {
				// Nothing is kept, so there is nothing to catch up on: live from here.
				synced = true
				s.mu.Lock()
				s.live[c] = struct{}{}
				c.send(syncedFrame{"synced", s.seq})
				s.mu.Unlock()
			}
		case "send":
			s.broadcast(c, uid, frame)
		case "typing":
			// Not part of the benchmark; accepted and ignored.
		}
	}
}

func (s *server) hello(c *client, frame map[string]interface{}, kind string, uid *string) {
	if kind != "hello" {
		c.refuse("ERR_PROTOCOL", fmt.Sprintf(`the first frame must be "hello", not %q`, kind),
			`Send "hello" as the first frame right after connecting.`, 4000, "protocol violation")
		return
	}
	if v := frame["version"].(json.Number); v.String() != strconv.Itoa(protocolVersion) {
		c.refuse("ERR_UNSUPPORTED_VERSION", fmt.Sprintf("protocol version %s is not supported", v),
			fmt.Sprintf("This server speaks version %d only.", protocolVersion), 4003,
			"unsupported protocol version")
		return
	}
	// Like lifeline-server without a tokens file (dev mode): any non-empty uid and token.
	if frame["uid"].(string) == "" || frame["token"].(string) == "" {
		c.refuse("ERR_AUTH_FAILED", "the token was rejected", "Give a non-empty uid and token.", 4001,
			"authentication failed")
		return
	}
	*uid = frame["uid"].(string)
	c.send(welcomeFrame{"welcome", protocolVersion, *uid, []string{}})
}

func (s *server) broadcast(sender *client, uid string, frame map[string]interface{}) {
	id, room, text := frame["id"].(string), frame["room"].(string), frame["text"].(string)
	refused := func(code, message string) { sender.send(nackFrame{"nack", id, code, message}) }
	switch {
	case utf16Length(id) < 1 || utf16Length(id) > maxName:
		refused("ERR_INVALID_ARGUMENT", fmt.Sprintf(`"id" must be 1 to %d characters`, maxName))
		return
	case utf16Length(room) < 1 || utf16Length(room) > maxName:
		refused("ERR_INVALID_ARGUMENT", fmt.Sprintf(`"room" must be 1 to %d characters`, maxName))
		return
	case text == "":
		refused("ERR_INVALID_ARGUMENT", `"text" must not be empty`)
		return
	case len(text) > maxTextBytes:
		refused("ERR_MESSAGE_TOO_LARGE", fmt.Sprintf("the text is over %d bytes of UTF-8", maxTextBytes))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	// The ack before the sender's own copy, as lifeline-server sends them.
	sender.send(ackFrame{"ack", id, s.seq})
	// Framed once; every client gets the same bytes. Every live connection is in every room.
	message, err := websocket.NewPreparedMessage(websocket.TextMessage, encode(messageFrame{
		"message", id, room, uid, text, s.seq, frame["sentAt"].(json.Number)}))
	if err != nil {
		panic(err)
	}
	for c := range s.live {
		c.push(outgoing{prepared: message})
	}
}

func (s *server) shutDown(listener net.Listener) {
	s.mu.Lock()
	// Before the listener closes: main() tells a shutdown from a failure by it.
	s.down = true
	s.mu.Unlock()
	listener.Close()
	s.mu.Lock()
	if len(s.clients) == 0 {
		s.mu.Unlock()
		os.Exit(0)
	}
	for c := range s.clients {
		c.push(outgoing{closeCode: websocket.CloseGoingAway, reason: "the server is shutting down"})
	}
	s.mu.Unlock()
	select {
	case <-s.empty:
	case <-time.After(shutdownGrace):
	}
	os.Exit(0)
}

func main() {
	host, port := parseArguments(os.Args[1:])
	listener, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench peer: cannot listen on %s port %d: %v\n", host, port, err)
		os.Exit(1)
	}
	s := &server{live: map[*client]struct{}{}, clients: map[*client]struct{}{}, empty: make(chan struct{})}
	address := listener.Addr().(*net.TCPAddr)
	fmt.Printf("listening ws://%s\n", net.JoinHostPort(address.IP.String(), strconv.Itoa(address.Port)))
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		s.shutDown(listener)
	}()
	err = http.Serve(listener, http.HandlerFunc(s.serve))
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if !down {
		fmt.Fprintf(os.Stderr, "bench peer: stopped accepting connections: %v\n", err)
		os.Exit(1)
	}
	// Closing the listener for the shutdown ends Serve; shutDown() ends the process.
	select {}
}
