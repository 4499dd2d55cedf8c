package io.jinference.runtime;

import io.jinference.host.GpuStatus;
import java.util.List;

/**
 * One GPU of the host now, and the UIDs of the models placed on it.
 *
 * @param gpu the GPU and its memory as read now
 * @param models the UIDs of the launched models placed on it
 */
public record GpuUse(GpuStatus gpu, List<String> models) {
    public GpuUse {
        models = List.copyOf(models);
    }
}
