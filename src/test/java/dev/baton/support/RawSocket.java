package dev.baton.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.RestAssured;

/**
 * A WebSocket client on a bare TCP socket, for what a well-behaved client never does: send a
 * malformed handshake, stop reading, never answer pings, or vanish with a TCP reset.
 */
public final class RawSocket implements AutoCloseable {

    /** One frame from the server; {@code opcode} 1 text, 8 close, 9 ping. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    /** The HTTP status of the handshake answer (101 when upgraded). */
    public final int status;
    /** The handshake answer's status line and headers. */
    public final String head;

    private RawSocket(Socket socket, int status, String head) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.status = status;
        this.head = head;
    }

    /**
     * Sends an upgrade request for {@code path} with the given header lines ("Name: value") and reads
     * the answer's head. {@code receiveBuffer} &gt; 0 shrinks the client's TCP receive window, so a
     * client that does not read pushes back on the server sooner.
     */
    public static RawSocket upgrade(String path, int receiveBuffer, String... headerLines) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("localhost", RestAssured.port), 10_000);
            socket.setSoTimeout(30_000);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = socket.getInputStream().read()) != -1) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            return new RawSocket(socket, Integer.parseInt(text.substring(9, 12)), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a header of the handshake answer, or null. */
    public String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The body of a refused handshake (its Content-Length bytes). */
    public String body() throws IOException {
        String length = header("Content-Length");
        byte[] body = new byte[length == null ? 0 : Integer.parseInt(length)];
        in.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The next frame, or null once the server has closed or reset the connection. */
    public Frame next() throws IOException {
        try {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            return new Frame(first & 0x0f, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return null;
            }
            throw e;
        }
    }

    /** Vanishes without a close handshake: the kernel sends a TCP reset (RST). */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
