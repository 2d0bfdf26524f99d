package io.fleetpredict.cli;

import java.util.List;

/**
 * A command whose {@code --out DIR} receives files of names known before it runs, so that an output given by
 * another option can be checked against each of them ({@link OutputFiles#checkDistinct}).
 */
interface WritesIntoFolder {

    /**
     * The names of the files the command writes into its {@code --out} folder.
     *
     * @return the file names, without folders
     */
    List<String> filesWrittenIntoOut();
}
