package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.OutputStream;

/** Creates pretty-printing JSON generators for the writers. */
final class JsonOut {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private JsonOut() {
    }

    /**
     * @param out         destination (not closed by the generator)
     * @param arraysMultiline one array element per line (as the paper's files), else arrays on one line
     */
    static JsonGenerator open(OutputStream out, boolean arraysMultiline) throws IOException {
        Separators seps = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(seps);
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        pp.indentObjectsWith(indenter);
        if (arraysMultiline) {
            pp.indentArraysWith(indenter);
        }
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.setPrettyPrinter(pp);
        return g;
    }
}
