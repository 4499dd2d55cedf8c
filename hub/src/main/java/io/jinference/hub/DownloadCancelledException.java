package io.jinference.hub;

/** A download stopped because its launch was terminated; what it had fetched stays for a resume. */
public final class DownloadCancelledException extends HubException {
    private static final long serialVersionUID = 1L;

    public DownloadCancelledException(String message) {
        super(message);
    }
}
