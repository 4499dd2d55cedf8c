package io.jinference.launcher.cli;

import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The command line's download bar (me.tongfei progressbar): bytes, rate and time left, on standard error. */
final class ProgressBars {
    private ProgressBars() {
    }

    static ProgressBar bytes(String task, long totalBytes) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, totalBytes))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1024 * 1024).showSpeed()
                .setUpdateIntervalMillis(250).continuousUpdate().clearDisplayOnFinish().build();
    }

    /** Moves the bar to the figures a download reports. */
    static void update(ProgressBar bar, long totalBytes, LongSupplier doneBytes) {
        if (totalBytes > 0 && bar.getMax() != totalBytes) {
            bar.maxHint(totalBytes);
        }
        bar.stepTo(doneBytes.getAsLong());
    }
}
