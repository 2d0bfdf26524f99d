package io.fleetpredict.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A picture the command drew, parsed as XML, with the queries the tests ask of it. */
final class Svg {

    private final Document document;

    private Svg(Document document) {
        this.document = document;
    }

    static Svg parse(String text) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            return new Svg(f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + text, e);
        }
    }

    static Svg read(Path file) throws java.io.IOException {
        return parse(Files.readString(file));
    }

    Element root() {
        return document.getDocumentElement();
    }

    /** The elements an XPath expression selects. */
    List<Element> all(String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
            List<Element> list = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                list.add((Element) nodes.item(i));
            }
            return list;
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }

    /** The texts of the elements selected. */
    List<String> texts(String xpath) {
        return all(xpath).stream().map(Element::getTextContent).toList();
    }

    /** The points of a polyline or polygon, as x,y pairs. */
    static double[][] points(Element e) {
        String[] pairs = e.getAttribute("points").trim().split("\\s+");
        double[][] p = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].split(",");
            p[i] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
        }
        return p;
    }
}
