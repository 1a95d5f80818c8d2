package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.train.LearningRateSchedule;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/beyond.md's Java example is the body of {@link #example}, compiled here and run on a small
 * MNIST subset (its 15 epochs of 540 images take a few seconds).
 */
class BeyondDocExampleTest {

    static Evaluation example(MnistData mnist) {
        Sequential model = Sequential.of(
                new Conv(5, 5, 8), new BatchNorm(), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 16), new BatchNorm(), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(128), new BatchNorm(), new ReLU(), new Dropout(0.3),
                new Dense(10), new Softmax())
            .input(1, 28, 28).seed(1).init(InitPreset.MODERN).build();
        TrainingResult r = Trainer.builder(model)
            .optimizer(new WeightDecay(new Adam(0.003), 1e-4))
            .batchSize(64).epochs(15).threads(2)
            .schedule(LearningRateSchedule.cosine(15, 0.01))    // per epoch, from 0.003 down towards 0.00003
            .augmentation(new RandomAffine(2, 10))              // shifts up to 2 px, rotations up to 10°
            .validationSplit(0.1).earlyStopping(5).keepBest(true)  // held out of the TRAINING set
            .build().fit(mnist.train());
        System.out.println("best epoch " + r.bestEpoch() + ", validation accuracy " + r.bestAccuracy());
        return Evaluation.of(model, mnist.test(), 2);
    }

    @Test
    void docExampleIsThisCompiledMethod() throws IOException {
        Path root = Path.of(System.getProperty("cnn4j.repoRoot", ".."));
        String doc = Files.readString(root.resolve("docs/beyond.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/beyond.md has a ```java block");
        String src = Files.readString(root.resolve("cnn-examples/src/test/java/io/github/cnn4j/examples/cli/BeyondDocExampleTest.java"));
        int from = src.indexOf("        Sequential model = Sequential.of(");
        int to = src.indexOf("        return Evaluation.of(model, mnist.test(), 2);");
        assertTrue(from > 0 && to > from, "the example method has the expected layout");
        StringBuilder body = new StringBuilder();
        for (String line : src.substring(from, to).split("\n")) {
            body.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        assertEquals(body.toString().strip(), m.group(1).strip());
    }

    @Test
    void docExampleTrains() throws IOException {
        MnistData all = MnistLoader.load(MnistFetcher.builder(MnistVariant.MNIST).build().fetch());
        MnistData small = new MnistData(all.train().subset(0, 600), all.test().subset(0, 300));
        Evaluation ev = example(small);
        assertTrue(ev.accuracy() > 0.75, "15 short epochs on 540 images: " + ev.accuracy());
    }
}
