package dev.neutron.upload;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Text of a PDF with Apache PDFBox, page by page, stopping once there is more than the caller can use. */
final class PdfText {
    private PdfText() {
    }

    /** At most {@code maxChars} + one page of text; the caller cuts it. */
    static String extract(Path file, int maxChars) throws IOException {
        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            StringBuilder text = new StringBuilder();
            int pages = document.getNumberOfPages();
            for (int page = 1; page <= pages && text.length() <= maxChars; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                text.append(stripper.getText(document));
            }
            return text.toString();
        }
    }
}
