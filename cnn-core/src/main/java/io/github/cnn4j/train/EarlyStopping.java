package io.github.cnn4j.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests a stop once {@code patience} epochs in a row were not the best one ({@link EpochStats#best()}):
 * the listener behind {@link Trainer.Builder#earlyStopping(int)}.
 */
public final class EarlyStopping implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

    private final int patience;
    private int bestEpoch;
    private boolean stop;

    /** @param patience epochs without improvement before stopping, at least 1 */
    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onStart(int epochs, int samplesPerEpoch) {
        bestEpoch = 0;
        stop = false;
    }

    @Override
    public void onResume(TrainingState state) {
        bestEpoch = state.bestEpoch();
    }

    @Override
    public void onEpoch(EpochStats e) {
        if (e.best()) {
            bestEpoch = e.epoch();
        }
        stop = e.epoch() - bestEpoch >= patience;
        if (stop) {
            LOG.info("early stop after epoch {}: no better validation accuracy for {} epoch(s) since epoch {}", e.epoch(), patience,
                    bestEpoch);
        }
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }
}
