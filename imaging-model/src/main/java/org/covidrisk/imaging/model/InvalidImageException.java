package org.covidrisk.imaging.model;

/** An image that cannot be scored; the message names the problem and is safe to return to the caller. */
public class InvalidImageException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }
}
