package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SessionStore} in a directory: {@code <key>.msg} holds a message (written once), {@code <key>.state} its
 * packet identifier and PUBREC state. Every file is written to a temporary name, forced to disk, renamed atomically
 * and the directory forced, so a crash leaves either the old or the new file, never half of one. No lock files.
 *
 * <p>Thread-safe.
 */
final class FileSessionStore implements SessionStore {
    private static final int MAGIC = 0x5752454E; // "WREN"

    private final Path dir;
    private final AtomicLong keys = new AtomicLong();

    FileSessionStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            long max = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(f); // a write that never completed
                    } else if (name.endsWith(".msg")) {
                        max = Math.max(max, Long.parseLong(name.substring(0, name.length() - 4)));
                    }
                }
            }
            keys.set(max);
        } catch (IOException e) {
            throw new UncheckedIOException("sessionStore directory " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void sessionExpiry(SessionExpiry expiry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(expiry.expirySeconds());
            out.writeLong(expiry.endedAtMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve("session.expiry"), bytes.toByteArray());
    }

    @Override
    public SessionExpiry loadSessionExpiry() {
        Path file = dir.resolve("session.expiry");
        if (!Files.exists(file)) {
            return null;
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            return new SessionExpiry(in.readLong(), in.readLong());
        } catch (IOException e) {
            return null; // unreadable: treated as unknown, so the stored messages count as in the broker's session
        }
    }

    @Override
    public long add(String topic, Qos qos, boolean retain, byte[] payload) {
        long key = keys.incrementAndGet();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + topic.length() + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(qos.code());
            out.writeBoolean(retain);
            out.writeUTF(topic);
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve(key + ".msg"), bytes.toByteArray());
        return key;
    }

    @Override
    public void assigned(long key, int packetId) {
        writeState(key, packetId, false);
    }

    @Override
    public void released(long key) {
        int id = readState(key)[0];
        writeState(key, id, true);
    }

    @Override
    public void remove(long key) {
        try {
            Files.deleteIfExists(dir.resolve(key + ".state"));
            Files.deleteIfExists(dir.resolve(key + ".msg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<StoredMessage> load() {
        List<StoredMessage> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.msg")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long key = Long.parseLong(name.substring(0, name.length() - 4));
                try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
                    if (in.readInt() != MAGIC) {
                        throw new IOException(f + " is not a Wren session file");
                    }
                    Qos qos = Qos.of(in.readByte());
                    boolean retain = in.readBoolean();
                    String topic = in.readUTF();
                    byte[] payload = new byte[in.readInt()];
                    in.readFully(payload);
                    int[] state = readState(key);
                    out.add(new StoredMessage(key, topic, qos, retain, payload, state[0], state[1] != 0));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sessionStore " + dir + " cannot be read: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(StoredMessage::key));
        return out;
    }

    private int[] readState(long key) {
        Path f = dir.resolve(key + ".state");
        try {
            if (!Files.exists(f)) {
                return new int[] {0, 0};
            }
            byte[] b = Files.readAllBytes(f);
            return new int[] {((b[0] & 0xFF) << 8) | (b[1] & 0xFF), b[2]};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeState(long key, int packetId, boolean released) {
        write(dir.resolve(key + ".state"), new byte[] {(byte) (packetId >> 8), (byte) packetId, (byte) (released ? 1 : 0)});
    }

    private void write(Path file, byte[] content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException notSupported) {
                // some file systems cannot force a directory; the rename itself is atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sessionStore cannot write " + file + ": " + e.getMessage(), e);
        }
    }

}
