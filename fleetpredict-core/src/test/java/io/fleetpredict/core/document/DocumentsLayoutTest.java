package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The text {@link Documents#write} lays a document out in: {@code "key": value} as in the docs' examples and as jq
 * or Python's {@code json.dumps} write it, two spaces per level, an array's items on the line of its brackets, a
 * final line break; and that text reads back as the document it was written from.
 */
class DocumentsLayoutTest {

    /** An event feed of one event, in the very text {@link Documents#write} gives for it. */
    private static final String FEED = """
            {
              "schema_version": 1,
              "events": [ {
                "id": "spring-sale-1",
                "type": "campaign",
                "name": "Spring sale",
                "start": "2024-03-06T10:00:00Z",
                "end": "2024-03-06T22:00:00Z",
                "scope": [ "checkout", "catalogue" ],
                "expected_impact": {
                  "demand_multiplier": 1.5
                }
              } ]
            }
            """;

    @Test
    void write_eventFeed_isKeyColonBlankValueWithTwoSpaceIndentation() {
        EventFeed feed = Documents.read(FEED, EventFeed.class);

        assertEquals(FEED, Documents.write(feed));
    }

    @ParameterizedTest
    @EnumSource(DocumentKind.class)
    void write_everyExampleKind_hasNoBlankBeforeAColon(DocumentKind kind) {
        Document example = Documents.read(DocumentFixtures.docs().resolve("examples/" + kind.id() + ".json"),
                kind.documentType());

        String written = Documents.write(example);

        assertFalse(written.contains("\" :"), () -> kind + " written with a blank before a colon:\n" + written);
        assertEquals(example, Documents.read(written, kind.documentType()));
    }
}
