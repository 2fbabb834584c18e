package dev.recon.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * A mapping file's YAML as a tree of {@link JsonNode}s, read token by token: what
 * {@code ObjectMapper.readTree} gives, without setting up an ObjectMapper (a tenth of a short
 * run's start-up). A key given twice in one mapping is an error, not the last one silently, and
 * so is a second document.
 */
final class YamlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTree() {}

    /** The document's root, or null for an empty document. */
    static JsonNode read(String yaml) throws IOException {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = node(parser, first);
            if (parser.nextToken() != null) {
                // a stray '---' would otherwise drop every mapping after it without a word
                throw new JsonParseException(parser, "a second YAML document ('---') follows the first; a mapping"
                        + " file is one document", parser.currentTokenLocation());
            }
            return root;
        }
    }

    private static JsonNode node(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    var where = p.currentTokenLocation();
                    if (object.replace(name, node(p, p.nextToken())) != null) {
                        throw new JsonParseException(p, "key '" + name + "' is given twice in one mapping", where);
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(node(p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_EMBEDDED_OBJECT -> {
                Object value = p.getEmbeddedObject();
                return value instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.pojoNode(value);
            }
            default -> throw new JsonParseException(p, "unexpected " + token);
        }
    }
}
