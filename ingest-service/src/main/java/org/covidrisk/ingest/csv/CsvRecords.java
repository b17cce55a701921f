package org.covidrisk.ingest.csv;

import java.io.BufferedInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of one CSV file (plain or zipped, strict UTF-8 with or without BOM), one at a time with their line
 * numbers: what every CSV reader of the service streams from, so none holds more than one record. Records are
 * bounded in length ({@link #MAX_RECORD_CHARS}); read, decoding and parse errors become a {@link Unreadable} that
 * names the line they were found on.
 */
public final class CsvRecords implements AutoCloseable {

    /** Longest record accepted: this bounds the heap a hostile file can take. */
    public static final int MAX_RECORD_CHARS = 1 << 20;

    /**
     * The file cannot be read further.
     *
     * @param line where it was found (0 before the first record)
     */
    public static final class Unreadable extends Exception {
        private final long line;

        Unreadable(long line, String reason) {
            super(reason);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    private final InputStream raw;
    private final BoundedRecordReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> it;
    private long lastLine;
    private boolean started;

    private CsvRecords(InputStream raw, InputStream csv) throws IOException {
        this.raw = raw;
        this.reader = new BoundedRecordReader(new InputStreamReader(csv, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        this.parser = CSVParser.parse(reader, CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).get());
        this.it = parser.iterator();
    }

    /** Opens the file; a zip is unwrapped to its first {@code .csv} entry. */
    public static CsvRecords open(Path file) throws Unreadable {
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return new CsvRecords(raw, openCsvStream(raw));
        } catch (IOException e) {
            closeQuietly(raw);
            throw new Unreadable(0, "unreadable file: " + describe(e));
        }
    }

    /** Unwraps a zip (first .csv entry) when the bytes start with the zip signature. */
    private static InputStream openCsvStream(InputStream raw) throws IOException {
        raw.mark(4);
        byte[] magic = raw.readNBytes(4);
        raw.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            ZipInputStream zip = new ZipInputStream(raw, StandardCharsets.UTF_8);
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory() && entry.getName().toLowerCase().endsWith(".csv")) {
                    return zip;
                }
            }
            throw new IOException("zip archive holds no .csv file");
        }
        return raw;
    }

    /**
     * The header: column names (stripped, BOM removed, upper-cased when asked) to their index, the first of a
     * repeated name winning; null for an empty file. Call once, first.
     */
    public Map<String, Integer> header(boolean upperCase) throws Unreadable {
        CSVRecord first = next();
        if (first == null) {
            return null;
        }
        Map<String, Integer> header = new LinkedHashMap<>();
        for (int i = 0; i < first.size(); i++) {
            String name = first.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1).strip();
            }
            header.putIfAbsent(upperCase ? name.toUpperCase() : name, i);
        }
        return header;
    }

    /** The next record, or null at the end of the file. */
    public CSVRecord next() throws Unreadable {
        reader.startRecord();
        started = true;
        try {
            if (!it.hasNext()) {
                return null;
            }
            CSVRecord rec = it.next();
            lastLine = rec.getRecordNumber();
            return rec;
        } catch (UncheckedIOException e) {
            // commons-csv wraps parse errors (e.g. an unterminated quote) and read errors in UncheckedIOException.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // The CSV lexer reports with plain IOExceptions; decoding and zip errors have their own types.
            boolean lexer = root.getClass() == IOException.class || root.getClass().getSimpleName().equals(
                    "CSVException");
            throw new Unreadable(nextLine(), (lexer ? "malformed CSV: " : "unreadable file: ") + describe(e));
        }
    }

    /** The line being read when something fails (the one after the last record returned). */
    public long nextLine() {
        return started ? lastLine + 1 : 0;
    }

    /** A short description of a read error, without class names where a message exists. */
    public static String describe(Exception e) {
        Throwable c = e;
        while ((c instanceof UncheckedIOException || c.getMessage() == null || c.getMessage()
                .startsWith("IOException reading next record")) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException | UncheckedIOException e) {
            // read-only file: nothing to flush
        }
        closeQuietly(raw);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // read-only file: nothing to flush
            }
        }
    }

    /**
     * Refuses a record longer than {@link #MAX_RECORD_CHARS}: commons-csv has no field-size limit and would
     * otherwise buffer a huge quoted field whole. Counts the characters the parser pulls since the record began
     * (the parser's read-ahead makes this approximate by one buffer, a few KiB).
     */
    private static final class BoundedRecordReader extends FilterReader {
        private long sinceRecord;

        BoundedRecordReader(Reader in) {
            super(in);
        }

        void startRecord() {
            sinceRecord = 0;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            count(c < 0 ? 0 : 1);
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            sinceRecord += n;
            if (sinceRecord > MAX_RECORD_CHARS + 65536) {
                throw new IOException("a record is longer than " + MAX_RECORD_CHARS + " characters");
            }
        }
    }
}
