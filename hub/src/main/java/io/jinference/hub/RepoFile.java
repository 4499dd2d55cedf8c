package io.jinference.hub;

/**
 * One file of a repository at one commit, as the hub lists it.
 *
 * @param path the file's path in the repository ({@code rfilename})
 * @param size its size in bytes, or -1 when the hub did not say
 * @param sha256 the LFS object's sha256 for files stored in LFS, else null
 * @param gitBlobId the git blob id (sha1 of {@code "blob <size>\0" + content}) for files stored in git, else null
 */
public record RepoFile(String path, long size, String sha256, String gitBlobId) {

    /**
     * The name of the file's blob in the Hugging Face cache: what huggingface_hub takes from the hub's
     * {@code X-Linked-Etag} (the sha256) for LFS files, and from {@code ETag} (the git blob id) for the others.
     */
    public String etag() {
        return sha256 != null ? sha256 : gitBlobId;
    }

    public boolean isLfs() {
        return sha256 != null;
    }
}
