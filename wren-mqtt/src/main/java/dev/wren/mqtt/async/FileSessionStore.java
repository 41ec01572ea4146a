package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.io.ByteArrayInputStream;
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
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SessionStore} in a directory: {@code <key>.msg} holds a message (written once), {@code <key>.state} its
 * packet identifier and PUBREC state, {@code incoming.qos2} the incoming QoS 2 identifiers not yet released,
 * {@code session.expiry} the session's expiry. Every file is written to a temporary name, forced to disk, renamed
 * atomically and the directory forced, so a crash leaves either the old or the new file, never half of one. With a
 * {@link SessionStore.Codec} every file's content is what the codec makes of it.
 *
 * <p>One store at a time per directory: the store holds an exclusive lock on {@code store.lock} in it from when it is
 * opened until {@link #close()} (which the client calls when it is closed) or the process ends, so a second client
 * on the same directory, in this process or another, fails when it is built instead of interleaving its writes
 * with the first's.
 *
 * <p>Thread-safe.
 */
final class FileSessionStore implements SessionStore {
    private static final int MAGIC = 0x5752454E; // "WREN": format 1, messages without expiry
    private static final int MAGIC_2 = 0x5752454F; // format 2: a message with its expiry
    private static final String INCOMING = "incoming.qos2";

    private final Path dir;
    private final Codec codec;
    private final AtomicLong keys = new AtomicLong();
    /** The incoming QoS 2 identifiers, as written to {@link #INCOMING}; guarded by itself. */
    private final BitSet incoming = new BitSet(65536);

    /** The lock file's name. */
    static final String LOCK = "store.lock";

    /** The lock file, open while the lock is held; null once closed. Guarded by this. */
    private FileChannel lockFile;

    FileSessionStore(Path dir, Codec codec) {
        this.dir = dir;
        this.codec = codec;
        try {
            Files.createDirectories(dir);
            lockFile = lock(dir);
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
            Path in = dir.resolve(INCOMING);
            if (Files.exists(in)) {
                try (DataInputStream d = open(in)) {
                    if (d.readInt() != MAGIC) {
                        throw new IOException(in + " is not a Wren session file");
                    }
                    for (int n = d.readUnsignedShort(); n > 0; n--) {
                        incoming.set(d.readUnsignedShort());
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("sessionStore directory " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Takes the directory's lock, or fails naming the directory when another store holds it. */
    private static FileChannel lock(Path dir) throws IOException {
        FileChannel f = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean locked = false;
        try {
            locked = f.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException inThisProcess) {
            // held by another store of this JVM
        } finally {
            if (!locked) {
                f.close();
            }
        }
        if (!locked) {
            throw new IllegalStateException("sessionStore directory " + dir + " is in use by another SessionStore "
                    + "(in this process or another): one directory per client, and a store closed before the "
                    + "directory is opened again");
        }
        return f;
    }

    /** Releases the directory's lock; the files stay. Idempotent. */
    @Override
    public synchronized void close() {
        if (lockFile != null) {
            try {
                lockFile.close(); // releases the lock
            } catch (IOException ignored) {
                // the lock goes with the process at the latest
            }
            lockFile = null;
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
        try (DataInputStream in = open(file)) {
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
        return add(topic, qos, retain, payload, 0);
    }

    @Override
    public long add(String topic, Qos qos, boolean retain, byte[] payload, long expiresAtMillis) {
        long key = keys.incrementAndGet();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + topic.length() + 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(expiresAtMillis == 0 ? MAGIC : MAGIC_2);
            out.writeByte(qos.code());
            out.writeBoolean(retain);
            out.writeUTF(topic);
            if (expiresAtMillis != 0) {
                out.writeLong(expiresAtMillis);
            }
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
                try (DataInputStream in = open(f)) {
                    int magic = in.readInt();
                    if (magic != MAGIC && magic != MAGIC_2) {
                        throw new IOException(f + " is not a Wren session file");
                    }
                    Qos qos = Qos.of(in.readByte());
                    boolean retain = in.readBoolean();
                    String topic = in.readUTF();
                    long expiresAt = magic == MAGIC_2 ? in.readLong() : 0;
                    int length = in.readInt();
                    if (length < 0 || length > in.available()) {
                        throw new IOException(f + " claims a payload of " + length + " bytes it does not hold");
                    }
                    byte[] payload = new byte[length];
                    in.readFully(payload);
                    int[] state = readState(key);
                    out.add(new StoredMessage(key, topic, qos, retain, payload, state[0], state[1] != 0, expiresAt));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sessionStore " + dir + " cannot be read: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(StoredMessage::key));
        return out;
    }

    @Override
    public void incomingReceived(int packetId) {
        synchronized (incoming) {
            if (!incoming.get(packetId)) {
                incoming.set(packetId);
                writeIncoming();
            }
        }
    }

    @Override
    public void incomingReleased(int packetId) {
        synchronized (incoming) {
            if (incoming.get(packetId)) {
                incoming.clear(packetId);
                writeIncoming();
            }
        }
    }

    @Override
    public void incomingCleared() {
        synchronized (incoming) {
            if (!incoming.isEmpty()) {
                incoming.clear();
                writeIncoming();
            }
        }
    }

    @Override
    public int[] loadIncoming() {
        synchronized (incoming) {
            return incoming.stream().toArray();
        }
    }

    private void writeIncoming() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(6 + 2 * incoming.cardinality());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(incoming.cardinality());
            for (int id = incoming.nextSetBit(0); id >= 0; id = incoming.nextSetBit(id + 1)) {
                out.writeShort(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve(INCOMING), bytes.toByteArray());
    }

    private int[] readState(long key) {
        Path f = dir.resolve(key + ".state");
        try {
            if (!Files.exists(f)) {
                return new int[] {0, 0};
            }
            byte[] b = read(f);
            if (b.length < 3) {
                throw new IOException(f + " is too short");
            }
            return new int[] {((b[0] & 0xFF) << 8) | (b[1] & 0xFF), b[2]};
        } catch (IOException e) {
            throw new UncheckedIOException("sessionStore cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private void writeState(long key, int packetId, boolean released) {
        write(dir.resolve(key + ".state"), new byte[] {(byte) (packetId >> 8), (byte) packetId, (byte) (released ? 1 : 0)});
    }

    /** A file's plain content: as read, or decoded by the codec. */
    private byte[] read(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        return codec == null ? raw : codec.decode(raw);
    }

    private DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(read(file)));
    }

    private void write(Path file, byte[] plain) {
        byte[] content = codec == null ? plain : codec.encode(plain);
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
