package io.github.cnn4j.io.checkpoint;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.io.json.JsonLimits;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.OptimizerState;
import io.github.cnn4j.train.BlockStats;
import io.github.cnn4j.train.CheckpointSink;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.TrainingState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cnn4j's checkpoint file: a {@link TrainingState}, the model's architecture and weights, the best
 * epoch's weights and free-form metadata, in one file that is replaced atomically.
 *
 * <pre>{@code
 * Trainer.builder(model)...checkpoints(CheckpointFormat.sink(file, model, Map.of())).checkpointEvery(10_000).build().fit(train);
 * // after a crash:
 * Checkpoint c = CheckpointFormat.read(file);
 * Trainer.builder(model)...build().fit(train, c.state());   // same settings and data; ends bit-identical
 * }</pre>
 *
 * <h2>Layout (version 2; version 1 is read too)</h2>
 * <pre>
 * magic     8 bytes   "CNN4JCKP"
 * version   int32     2 (version 1 lacked the epochs' validation loss, validation accuracy and learning rate)
 * sections  int32     2 or 3
 * section   int16 name length, name (ASCII), int64 payload length, payload   (repeated)
 * checksum  32 bytes  SHA-256 of every byte before it
 * </pre>
 * Integers are big-endian. Sections, in this order:
 * <ul>
 *   <li>{@code state}: the training state without its parameter values, big-endian binary: settings
 *       (epochs, seed, shuffle, batch size, block size, keepBest, training and test set sizes, data
 *       fingerprint), progress (epoch, position, RNG state, running sums, times), best epoch and
 *       accuracy, the epoch's order, the optimizer's type, learning rate, step count, settings and
 *       buffers (float32), every epoch's and block's statistics, and the metadata; strings are an
 *       int16 byte count and UTF-8.</li>
 *   <li>{@code model}: the model with the state's parameter values, in the
 *       {@linkplain NativeModelFormat native model format}.</li>
 *   <li>{@code best}: the best epoch's model, in the native format (only when the run keeps the best epoch
 *       and one has finished).</li>
 * </ul>
 *
 * <h2>Reading</h2>
 * The size is checked against the limits before anything is read; the magic, the version and the
 * checksum before anything is parsed (any truncation or flipped bit fails here); then every count
 * and length against the bytes that remain before allocating, every field against its range, the
 * model sections with all the checks of {@link NativeModelFormat}, and the whole state against
 * {@link TrainingState}'s invariants. Problems are {@link FormatException}s naming the file, the
 * section and the field. Nothing is returned unless all of it loaded.
 *
 * <h2>Writing</h2>
 * Through {@link AtomicFiles}: temporary file, fsync, atomic rename over the previous checkpoint,
 * directory fsync. A failed or interrupted write leaves the previous checkpoint as it was.
 */
public final class CheckpointFormat {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFormat.class);
    /** The first 8 bytes of every checkpoint. */
    public static final String MAGIC = "CNN4JCKP";
    /** The version this cnn4j writes and the newest it reads. */
    public static final int VERSION = 2;
    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 16;
    private static final int TRAILER = 32;
    private static final int MAX_SECTIONS = 16;
    private static final int MAX_NAME = 32;
    private static final int MAX_METADATA = 1000;
    private static final int MAX_SLOTS = 16;
    private static final int MAX_HYPER = 64;

    private CheckpointFormat() {
    }

    // ------------------------------------------------------------------ writing

    /**
     * A sink for {@link io.github.cnn4j.train.Trainer.Builder#checkpoints} that writes every
     * checkpoint to {@code file} (replacing the previous one atomically) and logs it.
     *
     * @param file         the checkpoint file
     * @param architecture the model being trained (its architecture is stored; weights come from each state)
     * @param metadata     string pairs stored in every checkpoint (at most 1000)
     * @return the sink
     * @throws IllegalArgumentException when the model has a layer that the native model format cannot store
     */
    public static CheckpointSink sink(Path file, Sequential architecture, Map<String, String> metadata) {
        Map<String, String> meta = checkMetadata(metadata);
        try {
            NativeModelFormat.write(OutputStream.nullOutputStream(), architecture, Map.of());
        } catch (IOException e) {
            throw new IllegalStateException(e); // the null stream does not fail
        }
        return state -> {
            long t0 = System.nanoTime();
            write(file, architecture, state, meta);
            LOG.info("saved checkpoint {} (epoch {}, sample {} of {}{}) in {} ms", file, state.epoch(), state.position(),
                    state.settings().trainSize(), state.epochFinished() ? ", epoch finished" : "", (System.nanoTime() - t0) / 1_000_000);
        };
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file         destination; the previous file stays until the new one is complete
     * @param architecture a model of the checkpointed architecture (its parameter values are not used)
     * @param state        the state; its parameter values are stored
     * @param metadata     string pairs stored with it (at most 1000)
     * @throws IllegalArgumentException when the state does not fit the architecture or a layer cannot be stored
     * @throws IOException              when writing fails; the message names the file, and the previous file is untouched
     */
    public static void write(Path file, Sequential architecture, TrainingState state, Map<String, String> metadata) throws IOException {
        JsonLimits.DEFAULT.requireWritable(file, MemoryCost.of(architecture).parameterCount());
        byte[] bytes = encode(architecture, state, checkMetadata(metadata));
        try {
            AtomicFiles.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("cannot write checkpoint " + file + " (the previous checkpoint is unchanged): "
                    + e.getClass().getSimpleName() + ": " + why, e);
        }
    }

    /**
     * Writes a checkpoint to a stream (the caller provides atomicity).
     *
     * @param out          destination (not closed)
     * @param architecture a model of the checkpointed architecture
     * @param state        the state
     * @param metadata     string pairs stored with it
     * @throws IOException when writing fails
     */
    public static void write(OutputStream out, Sequential architecture, TrainingState state, Map<String, String> metadata) throws IOException {
        out.write(encode(architecture, state, checkMetadata(metadata)));
    }

    private static Map<String, String> checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA) {
            throw new IllegalArgumentException("at most " + MAX_METADATA + " metadata entries, got " + metadata.size());
        }
        Map<String, String> m = new TreeMap<>(metadata);
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (utf8(e.getKey()).length > 0xFFFF || utf8(e.getValue()).length > 0xFFFF) {
                throw new IllegalArgumentException("metadata '" + abbreviate(e.getKey()) + "' longer than 65535 bytes");
            }
        }
        return m;
    }

    private static Sequential withValues(Sequential architecture, float[][] values) {
        Sequential m = architecture.copy();
        List<Parameter> ps = m.parameters();
        if (values.length != ps.size()) {
            throw new IllegalArgumentException("the state has " + values.length + " parameters, the model " + ps.size());
        }
        for (int i = 0; i < values.length; i++) {
            ps.get(i).set(values[i]);
        }
        return m;
    }

    private static byte[] encode(Sequential architecture, TrainingState s, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        NativeModelFormat.write(model, withValues(architecture, s.parameters()), Map.of());
        ByteArrayOutputStream best = null;
        if (s.best() != null) {
            best = new ByteArrayOutputStream();
            NativeModelFormat.write(best, withValues(architecture, s.best()), Map.of());
        }
        byte[] state = encodeState(s, metadata);

        ByteArrayOutputStream all = new ByteArrayOutputStream(HEADER + state.length + model.size() + (best == null ? 0 : best.size()) + 100);
        DataOutputStream d = new DataOutputStream(all);
        d.write(MAGIC_BYTES);
        d.writeInt(VERSION);
        d.writeInt(best == null ? 2 : 3);
        section(d, "state", state);
        section(d, "model", model.toByteArray());
        if (best != null) {
            section(d, "best", best.toByteArray());
        }
        d.flush();
        d.write(sha256(all.toByteArray(), 0, all.size()));
        d.flush();
        return all.toByteArray();
    }

    private static void section(DataOutputStream d, String name, byte[] payload) throws IOException {
        d.writeShort(name.length());
        d.write(name.getBytes(StandardCharsets.US_ASCII));
        d.writeLong(payload.length);
        d.write(payload);
    }

    private static byte[] encodeState(TrainingState s, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bos);
        TrainingState.Settings st = s.settings();
        d.writeInt(st.epochs());
        d.writeLong(st.seed());
        string(d, st.shuffle().name());
        d.writeInt(st.batchSize());
        d.writeInt(st.blockSize());
        d.writeBoolean(st.keepBest());
        d.writeInt(st.trainSize());
        d.writeInt(st.testSize());
        d.writeLong(st.dataFingerprint());

        d.writeInt(s.epoch());
        d.writeInt(s.position());
        d.writeLong(s.rngState());
        d.writeDouble(s.epochLoss());
        d.writeLong(s.epochNanos());
        d.writeLong(s.samplesSeen());
        d.writeDouble(s.blockLoss());
        d.writeInt(s.blockCount());
        d.writeLong(s.trainNanos());
        d.writeInt(s.bestEpoch());
        d.writeDouble(s.bestAccuracy());
        d.writeBoolean(s.best() != null);

        d.writeInt(s.order().length);
        for (int v : s.order()) {
            d.writeInt(v);
        }

        OptimizerState o = s.optimizer();
        string(d, o.type());
        d.writeFloat(o.learningRate());
        d.writeLong(o.steps());
        d.writeInt(o.hyperparameters().size());
        for (Map.Entry<String, Float> e : o.hyperparameters().entrySet()) {
            string(d, e.getKey());
            d.writeFloat(e.getValue());
        }
        d.writeInt(o.slots().size());
        for (Map.Entry<String, float[][]> e : o.slots().entrySet()) {
            string(d, e.getKey());
            float[][] arrays = e.getValue();
            d.writeInt(arrays.length);
            for (float[] a : arrays) {
                d.writeInt(a.length);
                for (float v : a) {
                    d.writeFloat(v);
                }
            }
        }

        d.writeInt(s.history().size());
        for (EpochStats e : s.history()) {
            d.writeInt(e.epoch());
            d.writeDouble(e.trainLoss());
            d.writeDouble(e.testLoss());
            d.writeDouble(e.testAccuracy());
            d.writeDouble(e.seconds());
            d.writeBoolean(e.best());
            d.writeDouble(e.validationLoss());
            d.writeDouble(e.validationAccuracy());
            d.writeDouble(e.learningRate());
        }
        d.writeInt(s.blockHistory().size());
        for (BlockStats b : s.blockHistory()) {
            d.writeLong(b.samplesSeen());
            d.writeInt(b.samples());
            d.writeDouble(b.meanLoss());
        }
        d.writeInt(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            string(d, e.getKey());
            string(d, e.getValue());
        }
        d.flush();
        return bos.toByteArray();
    }

    private static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = utf8(s);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes: " + abbreviate(s));
        }
        d.writeShort(b.length);
        d.write(b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a checkpoint under the default limits.
     *
     * @param file a checkpoint file
     * @return the checkpoint
     * @throws FormatException naming the file, section and field when anything is wrong (see the class description)
     * @throws IOException     when reading fails
     */
    public static Checkpoint read(Path file) throws IOException {
        return read(file, JsonLimits.DEFAULT);
    }

    /**
     * Reads a checkpoint.
     *
     * @param file   a checkpoint file
     * @param limits limits on the file size and on the embedded models
     * @return the checkpoint
     * @throws FormatException naming the file, section and field when anything is wrong
     * @throws IOException     when reading fails
     */
    public static Checkpoint read(Path file, JsonLimits limits) throws IOException {
        long size = ReadableFiles.requireRegular(file, "a checkpoint");
        long max = Math.min(limits.maxFileBytes(), Integer.MAX_VALUE - 16L);
        if (size > max) {
            throw new FormatException(file, "file is " + size + " bytes, more than the limit of " + max);
        }
        // the bytes, then the models decoded from them (base64: 4 bytes of floats for ~5.3 bytes of text)
        ReadableFiles.requireMemory(file, 2 * size, "a checkpoint of " + size + " bytes and what it decodes to");
        if (size < HEADER + TRAILER) {
            throw new FormatException(file, "truncated: a checkpoint has at least " + (HEADER + TRAILER) + " bytes, the file has " + size);
        }
        byte[] b = Files.readAllBytes(file);
        if (b.length != size) {
            throw new FormatException(file, "the file changed size while being read (" + size + " then " + b.length + " bytes)");
        }
        if (!Arrays.equals(b, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
            throw new FormatException(file, "not a cnn4j checkpoint: expected the magic bytes \"" + MAGIC + "\", found "
                    + printable(b, 0, MAGIC_BYTES.length));
        }
        int version = ByteBuffer.wrap(b, 8, 4).getInt();
        if (version > VERSION) {
            throw new FormatException(file, "version " + version + " is newer than this cnn4j reads (" + VERSION + "); upgrade cnn4j");
        }
        if (version < 1) {
            throw new FormatException(file, "version " + version + ", expected 1.." + VERSION);
        }
        int body = b.length - TRAILER;
        byte[] expected = Arrays.copyOfRange(b, body, b.length);
        byte[] actual = sha256(b, 0, body);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new FormatException(file, "checksum mismatch: the file is damaged (truncated, or changed after it was written); "
                    + "SHA-256 of its content is " + HexFormat.of().formatHex(actual) + ", the file records "
                    + HexFormat.of().formatHex(expected));
        }
        return parse(file, b, body, version, limits);
    }

    private static Checkpoint parse(Path file, byte[] b, int body, int version, JsonLimits limits) throws IOException {
        In h = new In(b, 0, body, file, "header");
        h.skip(12);
        int count = h.i32("section count");
        if (count < 1 || count > MAX_SECTIONS) {
            throw h.fail("section count", "expected 1.." + MAX_SECTIONS + ", found " + count);
        }
        Map<String, int[]> sections = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String where = "section " + i;
            int nameLen = h.u16(where + " name length");
            if (nameLen < 1 || nameLen > MAX_NAME) {
                throw h.fail(where + " name length", "expected 1.." + MAX_NAME + ", found " + nameLen);
            }
            h.need(nameLen, where + " name");
            String name = new String(b, h.position(), nameLen, StandardCharsets.ISO_8859_1);
            h.skip(nameLen);
            if (!name.matches("[a-z]+")) {
                throw h.fail(where + " name", "expected lower-case letters, found " + printable(b, h.position() - nameLen, nameLen));
            }
            long len = h.i64(where + " length");
            if (len < 0 || len > h.remaining()) {
                throw h.fail("section '" + name + "' length", "claims " + len + " bytes, " + h.remaining() + " remain before the checksum");
            }
            if (!List.of("state", "model", "best").contains(name)) {
                throw h.fail(where, "unknown section '" + name + "' in a version " + version + " checkpoint, expected state, model, best");
            }
            if (sections.containsKey(name)) {
                throw h.fail(where, "section '" + name + "' appears twice");
            }
            sections.put(name, new int[] {h.position(), (int) len});
            h.skip((int) len);
        }
        if (h.remaining() != 0) {
            throw h.fail("end", h.remaining() + " unexpected bytes after the last section");
        }
        for (String req : new String[] {"state", "model"}) {
            if (!sections.containsKey(req)) {
                throw new FormatException(file, "section '" + req + "' is missing");
            }
        }

        int[] ms = sections.get("model");
        Sequential model = readModel(file, b, ms, "model", limits);
        int[] ss = sections.get("state");
        StateDoc doc = readState(new In(b, ss[0], ss[1], file, "state"), version);
        float[][] best = null;
        if (doc.hasBest != sections.containsKey("best")) {
            throw new FormatException(file, doc.hasBest ? "section 'best' is missing, the state says the best epoch's weights are kept"
                    : "unexpected section 'best': the state keeps no best epoch's weights");
        }
        if (doc.hasBest) {
            Sequential bm = readModel(file, b, sections.get("best"), "best", limits);
            if (!bm.toString().equals(model.toString()) || !bm.shapes().equals(model.shapes())) {
                throw new FormatException(file, "section 'best': the best model " + bm + " " + bm.shapes()
                        + " is not of the checkpoint's architecture " + model + " " + model.shapes());
            }
            best = values(bm);
        }
        TrainingState state;
        try {
            state = new TrainingState(doc.settings, doc.epoch, doc.position, doc.rngState, doc.order, doc.epochLoss, doc.epochNanos,
                    doc.samplesSeen, doc.blockLoss, doc.blockCount, doc.trainNanos, values(model), doc.optimizer, doc.history, doc.blocks,
                    doc.bestEpoch, doc.bestAccuracy, best);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "section 'state': inconsistent training state: " + e.getMessage(), e);
        }
        LOG.debug("read checkpoint {}: {}", file, state);
        return new Checkpoint(state, model, doc.metadata);
    }

    private static Sequential readModel(Path file, byte[] b, int[] sec, String name, JsonLimits limits) throws IOException {
        try {
            NativeModel nm = NativeModelFormat.read(new ByteArrayInputStream(b, sec[0], sec[1]), sec[1], file, limits);
            return nm.model();
        } catch (FormatException e) {
            throw new FormatException(file, "section '" + name + "': " + e.detail(), e);
        }
    }

    private static float[][] values(Sequential m) {
        List<Parameter> ps = m.parameters();
        float[][] v = new float[ps.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = ps.get(i).value().clone();
        }
        return v;
    }

    private static final class StateDoc {
        TrainingState.Settings settings;
        int epoch;
        int position;
        long rngState;
        double epochLoss;
        long epochNanos;
        long samplesSeen;
        double blockLoss;
        int blockCount;
        long trainNanos;
        int bestEpoch;
        double bestAccuracy;
        boolean hasBest;
        int[] order;
        OptimizerState optimizer;
        List<EpochStats> history;
        List<BlockStats> blocks;
        Map<String, String> metadata;
    }

    private static StateDoc readState(In in, int version) throws FormatException {
        StateDoc d = new StateDoc();
        int epochs = in.i32("settings.epochs");
        long seed = in.i64("settings.seed");
        String shuffleName = in.string("settings.shuffle", 100);
        ShuffleMode shuffle = null;
        for (ShuffleMode m : ShuffleMode.values()) {
            if (m.name().equals(shuffleName)) {
                shuffle = m;
            }
        }
        if (shuffle == null) {
            throw in.fail("settings.shuffle", "expected one of " + Arrays.toString(ShuffleMode.values()) + ", found \""
                    + abbreviate(shuffleName) + "\"");
        }
        int batchSize = in.i32("settings.batchSize");
        int blockSize = in.i32("settings.blockSize");
        boolean keepBest = in.bool("settings.keepBest");
        int trainSize = in.i32("settings.trainSize");
        int testSize = in.i32("settings.testSize");
        long fingerprint = in.i64("settings.dataFingerprint");
        try {
            d.settings = new TrainingState.Settings(epochs, seed, shuffle, batchSize, blockSize, keepBest, trainSize, testSize, fingerprint);
        } catch (IllegalArgumentException e) {
            throw in.fail("settings", e.getMessage());
        }
        d.epoch = in.i32("epoch");
        d.position = in.i32("position");
        d.rngState = in.i64("rngState");
        d.epochLoss = in.f64("epochLoss");
        d.epochNanos = in.i64("epochNanos");
        d.samplesSeen = in.i64("samplesSeen");
        d.blockLoss = in.f64("blockLoss");
        d.blockCount = in.i32("blockCount");
        d.trainNanos = in.i64("trainNanos");
        d.bestEpoch = in.i32("bestEpoch");
        d.bestAccuracy = in.f64("bestAccuracy");
        d.hasBest = in.bool("hasBest");

        int n = in.count("order", 4, trainSize);
        if (n != trainSize) {
            throw in.fail("order", "has " + n + " entries, the training set " + trainSize + " samples");
        }
        d.order = new int[n];
        for (int i = 0; i < n; i++) {
            d.order[i] = in.i32("order");
        }

        String type = in.string("optimizer.type", 100);
        float lr = in.f32("optimizer.learningRate");
        long steps = in.i64("optimizer.steps");
        int nh = in.count("optimizer.hyperparameters", 6, MAX_HYPER);
        Map<String, Float> hyper = new LinkedHashMap<>();
        for (int i = 0; i < nh; i++) {
            String k = in.string("optimizer.hyperparameters[" + i + "]", 100);
            if (hyper.put(k, in.f32("optimizer.hyperparameters." + k)) != null) {
                throw in.fail("optimizer.hyperparameters", "'" + abbreviate(k) + "' appears twice");
            }
        }
        int ns = in.count("optimizer.slots", 6, MAX_SLOTS);
        Map<String, float[][]> slots = new LinkedHashMap<>();
        for (int i = 0; i < ns; i++) {
            String k = in.string("optimizer.slots[" + i + "]", 100);
            String f = "optimizer.slots." + k;
            int na = in.count(f, 4, Integer.MAX_VALUE);
            float[][] arrays = new float[na][];
            for (int a = 0; a < na; a++) {
                int len = in.count(f + "[" + a + "]", 4, Integer.MAX_VALUE);
                arrays[a] = new float[len];
                for (int v = 0; v < len; v++) {
                    arrays[a][v] = in.f32(f);
                }
            }
            if (slots.put(k, arrays) != null) {
                throw in.fail("optimizer.slots", "'" + abbreviate(k) + "' appears twice");
            }
        }
        try {
            d.optimizer = new OptimizerState(type, hyper, lr, steps, slots);
        } catch (IllegalArgumentException e) {
            throw in.fail("optimizer", e.getMessage());
        }

        int nhist = in.count("history", version == 1 ? 37 : 61, Integer.MAX_VALUE);
        d.history = new ArrayList<>(nhist);
        for (int i = 0; i < nhist; i++) {
            EpochStats e = new EpochStats(in.i32("history.epoch"), in.f64("history.trainLoss"), in.f64("history.testLoss"),
                    in.f64("history.testAccuracy"), in.f64("history.seconds"), in.bool("history.best"));
            if (version >= 2) {
                e = new EpochStats(e.epoch(), e.trainLoss(), e.testLoss(), e.testAccuracy(), e.seconds(), e.best(),
                        in.f64("history.validationLoss"), in.f64("history.validationAccuracy"), in.f64("history.learningRate"));
            }
            d.history.add(e);
        }
        int nblocks = in.count("blocks", 20, Integer.MAX_VALUE);
        d.blocks = new ArrayList<>(nblocks);
        for (int i = 0; i < nblocks; i++) {
            d.blocks.add(new BlockStats(i + 1, in.i64("blocks.samplesSeen"), in.i32("blocks.samples"), in.f64("blocks.meanLoss")));
        }
        int nmeta = in.count("metadata", 4, MAX_METADATA);
        d.metadata = new LinkedHashMap<>();
        for (int i = 0; i < nmeta; i++) {
            String k = in.string("metadata[" + i + "]", 0xFFFF);
            if (d.metadata.put(k, in.string("metadata." + abbreviate(k), 0xFFFF)) != null) {
                throw in.fail("metadata", "'" + abbreviate(k) + "' appears twice");
            }
        }
        if (in.remaining() != 0) {
            throw in.fail("end", in.remaining() + " unexpected bytes after the metadata");
        }
        return d;
    }

    /** A bounds-checked big-endian reader over one section, failing with FormatExceptions. */
    private static final class In {
        private final ByteBuffer b;
        private final Path file;
        private final String section;

        In(byte[] a, int off, int len, Path file, String section) {
            this.b = ByteBuffer.wrap(a, off, len).slice();
            this.file = file;
            this.section = section;
        }

        FormatException fail(String field, String message) {
            return new FormatException(file, (section.equals("header") ? "" : "section '" + section + "' ") + field + ": " + message);
        }

        int position() {
            return b.arrayOffset() + b.position();
        }

        int remaining() {
            return b.remaining();
        }

        void need(int n, String field) throws FormatException {
            if (b.remaining() < n) {
                throw fail(field, "truncated: needs " + n + " more bytes, " + b.remaining() + " remain");
            }
        }

        void skip(int n) {
            b.position(b.position() + n);
        }

        int u16(String field) throws FormatException {
            need(2, field);
            return b.getShort() & 0xFFFF;
        }

        int i32(String field) throws FormatException {
            need(4, field);
            return b.getInt();
        }

        long i64(String field) throws FormatException {
            need(8, field);
            return b.getLong();
        }

        float f32(String field) throws FormatException {
            need(4, field);
            return b.getFloat();
        }

        double f64(String field) throws FormatException {
            need(8, field);
            return b.getDouble();
        }

        boolean bool(String field) throws FormatException {
            need(1, field);
            byte v = b.get();
            if (v != 0 && v != 1) {
                throw fail(field, "expected a boolean (0 or 1), found " + v);
            }
            return v == 1;
        }

        /** A count of entries of at least {@code minBytes} each, checked against the bytes left before anything is allocated. */
        int count(String field, int minBytes, int max) throws FormatException {
            int c = i32(field + " count");
            if (c < 0 || c > max) {
                throw fail(field + " count", "expected 0.." + max + ", found " + c);
            }
            if ((long) c * minBytes > b.remaining()) {
                throw fail(field + " count", "claims " + c + " entries of at least " + minBytes + " bytes, only " + b.remaining()
                        + " bytes remain in the section");
            }
            return c;
        }

        String string(String field, int maxChars) throws FormatException {
            int len = u16(field + " length");
            need(len, field);
            ByteBuffer slice = b.slice(b.position(), len);
            skip(len);
            String s;
            try {
                CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
                s = cb.toString();
            } catch (CharacterCodingException e) {
                throw fail(field, "not valid UTF-8");
            }
            if (s.length() > maxChars) {
                throw fail(field, "expected at most " + maxChars + " characters, found " + s.length());
            }
            return s;
        }
    }

    private static String printable(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len && i < b.length; i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : String.format(Locale.ROOT, "\\x%02x", c));
        }
        return "\"" + sb + "\"";
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
