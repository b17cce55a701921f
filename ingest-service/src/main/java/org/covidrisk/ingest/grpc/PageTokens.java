package org.covidrisk.ingest.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens of {@code ListPatients}: the last patient key of the previous page, base64url-encoded with a
 * version prefix, so clients do not build them and the format can change. A token only moves the cursor; the
 * hospital filter comes from the caller's token on every page, so a forged token discloses nothing.
 */
final class PageTokens {

    private static final String PREFIX = "k1:";

    private PageTokens() {
    }

    /** The token for the page after the given key; empty when there is no next page. */
    static String encode(String lastKey) {
        if (lastKey == null) {
            return "";
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key after which the page starts; null for the first page. */
    static String decode(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String s = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
        if (!s.startsWith(PREFIX) || s.length() == PREFIX.length()) {
            throw new IllegalArgumentException("not a page token");
        }
        return s.substring(PREFIX.length());
    }
}
