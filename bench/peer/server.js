#!/usr/bin/env node
// The reference peer of bench_fanout: a minimal broadcast server on Node.js and ws with the
// job lifeline-server has on the hot path (accept, authenticate with one frame, broadcast each
// message to every client, acknowledge the sender), speaking the frames of docs/protocol.md
// that the load generator uses, so that one generator drives both servers.
//
// What it does NOT do, and lifeline-server does: store each batch in SQLite with fsync before
// the ack and the broadcast, deduplicate ids, catch a client up on missed messages, rate
// limits, presence, typing, idle and handshake timeouts, connection limits. It keeps nothing on
// disk and forgets everything when it exits.
//
//   node server.js [--host 127.0.0.1] [--port 0]
//
// The first line on stdout is "listening ws://HOST:PORT" with the real port, as lifeline-server
// prints it. SIGTERM and SIGINT close every client with 1001 and exit.
'use strict';

const { WebSocketServer } = require('ws');

// docs/protocol.md: a frame or message may carry up to 64 KiB of payload.
const MAX_PAYLOAD = 64 * 1024;
const PROTOCOL_VERSION = 1;
const MAX_NAME = 64;
const MAX_TEXT_BYTES = 16 * 1024;
// How long SIGTERM waits for clients to answer the close frame, as lifeline-server does.
const SHUTDOWN_GRACE_MS = 2000;

function usage(problem) {
  process.stderr.write(`bench peer: ${problem}\nusage: node server.js [--host ADDRESS] [--port N]\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = { host: '127.0.0.1', port: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name !== '--host' && name !== '--port')
      usage(`unknown option "${name}"`);
    if (value === undefined)
      usage(`${name} needs a value`);
    if (name === '--host') {
      options.host = value === 'localhost' ? '127.0.0.1' : value;
    } else {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        usage(`--port "${value}" is not a number from 0 to 65535`);
      options.port = port;
    }
  }
  return options;
}

// The protocol's integers: JSON numbers with an integral value of at most 2^53.
function isInteger(value) {
  return Number.isInteger(value) && Math.abs(value) <= 2 ** 53;
}

function isString(value) {
  return typeof value === 'string';
}

// The fields each client frame must have, as core/protocol/protocol.cpp checks them.
const SCHEMAS = {
  hello: { version: isInteger, appId: isString, uid: isString, token: isString },
  ping: { id: isInteger },
  sync: { since: isInteger },
  send: { id: isString, room: isString, text: isString, sentAt: isInteger },
  typing: { room: isString, typing: (value) => typeof value === 'boolean' },
};

// The frame as an object, or a string saying what is wrong with it.
function decode(data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch (error) {
    return `not valid JSON (${error.message})`;
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame))
    return 'the frame is not a JSON object';
  if (!isString(frame.type))
    return 'the frame has no string "type"';
  const schema = SCHEMAS[frame.type];
  if (!schema)
    return `"${frame.type}" is not a frame a client may send`;
  for (const [field, check] of Object.entries(schema)) {
    if (!check(frame[field]))
      return `"${frame.type}" needs the field "${field}" of the right type`;
  }
  return frame;
}

function errorFrame(code, message, details) {
  return JSON.stringify({ type: 'error', code, message, details });
}

const options = parseArguments(process.argv.slice(2));
let seq = 0;
// The connections that sent sync: they hear every message from then on, their own included.
const live = new Set();

// perMessageDeflate off: Qt 6.4's QWebSocket does not do it, and neither does lifeline-server.
const server = new WebSocketServer({
  host: options.host,
  port: options.port,
  maxPayload: MAX_PAYLOAD,
  perMessageDeflate: false,
  clientTracking: true,
});

server.on('error', (error) => {
  process.stderr.write(`bench peer: cannot listen on ${options.host} port ${options.port}: ${error.message}\n`);
  process.exit(1);
});

server.on('listening', () => {
  const address = server.address();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`listening ws://${host}:${address.port}\n`);
});

server.on('connection', (socket) => {
  let uid = null;
  let synced = false;

  // closeReason is fixed text: a close reason may hold at most 123 bytes.
  const refuse = (code, message, details, closeCode, closeReason) => {
    socket.send(errorFrame(code, message, details));
    if (closeCode)
      socket.close(closeCode, closeReason);
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'binary frames are not part of the protocol');
      return;
    }
    const frame = decode(data.toString());
    if (typeof frame === 'string') {
      if (uid === null)
        refuse('ERR_PROTOCOL', frame, 'The first frame on a connection must be a valid "hello".', 4000,
               'protocol violation');
      else
        refuse('ERR_PROTOCOL', frame, 'The frame was ignored and the connection stays open.');
      return;
    }
    if (uid === null) {
      if (frame.type !== 'hello') {
        refuse('ERR_PROTOCOL', `the first frame must be "hello", not "${frame.type}"`,
               'Send "hello" as the first frame right after connecting.', 4000,
               'protocol violation');
        return;
      }
      if (frame.version !== PROTOCOL_VERSION) {
        refuse('ERR_UNSUPPORTED_VERSION', `protocol version ${frame.version} is not supported`,
               `This server speaks version ${PROTOCOL_VERSION} only.`, 4003,
               'unsupported protocol version');
        return;
      }
      // Like lifeline-server without a tokens file (dev mode): any non-empty uid and token.
      if (frame.uid === '' || frame.token === '') {
        refuse('ERR_AUTH_FAILED', 'the token was rejected', 'Give a non-empty uid and token.', 4001,
               'authentication failed');
        return;
      }
      uid = frame.uid;
      socket.send(JSON.stringify({ type: 'welcome', version: PROTOCOL_VERSION, uid, throttled: [] }));
      return;
    }
    switch (frame.type) {
    case 'hello':
      refuse('ERR_PROTOCOL', '"hello" was already sent on this connection', 'The frame was ignored.');
      return;
    case 'ping':
      socket.send(JSON.stringify({ type: 'pong', id: frame.id }));
      return;
    case 'sync':
      if (synced) {
        refuse('ERR_PROTOCOL', '"sync" was already sent on this connection', 'The frame was ignored.');
        return;
      }
      if (frame.since < 0) {
        refuse('ERR_INVALID_ARGUMENT', '"since" must be 0 or more', 'Send 0 or the highest seq seen.');
        return;
      }
      // Nothing is kept, so there is nothing to catch up on: live from here.
      synced = true;
      live.add(socket);
      socket.send(JSON.stringify({ type: 'synced', seq }));
      return;
    case 'send':
      broadcast(socket, uid, frame);
      return;
    case 'typing':
      // Not part of the benchmark; accepted and ignored.
      return;
    }
  });

  socket.on('close', () => live.delete(socket));
  // A reset connection; 'close' follows and forgets it.
  socket.on('error', () => {});
});

function broadcast(sender, uid, frame) {
  const refused = (code, message) =>
    sender.send(JSON.stringify({ type: 'nack', id: frame.id, code, message }));
  if (frame.id.length < 1 || frame.id.length > MAX_NAME)
    return refused('ERR_INVALID_ARGUMENT', `"id" must be 1 to ${MAX_NAME} characters`);
  if (frame.room.length < 1 || frame.room.length > MAX_NAME)
    return refused('ERR_INVALID_ARGUMENT', `"room" must be 1 to ${MAX_NAME} characters`);
  if (frame.text.length === 0)
    return refused('ERR_INVALID_ARGUMENT', '"text" must not be empty');
  if (Buffer.byteLength(frame.text) > MAX_TEXT_BYTES)
    return refused('ERR_MESSAGE_TOO_LARGE', `the text is over ${MAX_TEXT_BYTES} bytes of UTF-8`);
  seq += 1;
  // The ack before the sender's own copy, as lifeline-server sends them.
  sender.send(JSON.stringify({ type: 'ack', id: frame.id, seq }));
  // Serialised once and turned into bytes once; every client gets the same buffer as a text
  // frame. The protocol has no room membership: every live connection is in every room.
  const message = Buffer.from(JSON.stringify({
    type: 'message', id: frame.id, room: frame.room, sender: uid, text: frame.text, seq,
    sentAt: frame.sentAt,
  }));
  for (const client of live)
    client.send(message, { binary: false });
}

function shutDown() {
  server.close();
  for (const client of server.clients)
    client.close(1001, 'the server is shutting down');
  const exit = () => process.exit(0);
  if (server.clients.size === 0)
    setImmediate(exit);
  else
    setTimeout(exit, SHUTDOWN_GRACE_MS).unref();
  server.on('close', exit);
}

process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
