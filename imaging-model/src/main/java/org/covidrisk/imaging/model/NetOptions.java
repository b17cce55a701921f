package org.covidrisk.imaging.model;

import java.util.Arrays;

/**
 * Shape of the X-ray CNN.
 *
 * @param inputSize side of the square grey input in pixels
 * @param width filters of the stem and the first stage (doubling per stage; 64 is torchvision's resnet18)
 * @param blocks basic blocks per stage ({2, 2, 2, 2} is resnet18)
 * @param classes outputs of the head (3 for findings, 2 for survival)
 */
public record NetOptions(int inputSize, int width, int[] blocks, int classes) {

    public NetOptions {
        if (inputSize < 32 || width < 1 || blocks.length == 0 || classes < 2) {
            throw new IllegalArgumentException("input >= 32, width >= 1, at least one stage and two classes");
        }
        blocks = blocks.clone();
    }

    /**
     * torchvision's resnet18 with one grey channel: the served model. 64×64 input keeps a 5-fold transfer
     * learning run on 2 CPU cores in minutes (≈ 0.15 GFLOP per image instead of 1.8 at 224×224).
     */
    public static NetOptions resnet18(int inputSize, int classes) {
        return new NetOptions(inputSize, 64, new int[]{2, 2, 2, 2}, classes);
    }

    /** The same network with another head. */
    public NetOptions withClasses(int n) {
        return new NetOptions(inputSize, width, blocks, n);
    }

    /** True when the layout is torchvision's resnet18 (what the PyTorch peer can rebuild). */
    public boolean torchvisionResnet18() {
        return width == 64 && Arrays.equals(blocks, new int[]{2, 2, 2, 2});
    }

    /** Short human-readable architecture name, recorded in provenance. */
    public String architecture() {
        return "resnet-basic" + Arrays.toString(blocks).replace(" ", "") + "-w" + width + "-grey" + inputSize + "-"
                + classes + "class";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetOptions n && n.inputSize == inputSize && n.width == width && n.classes == classes
                && Arrays.equals(n.blocks, blocks);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * inputSize + width) + classes) + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return architecture();
    }
}
