# How a sentiment model did on labelled rows: reads "label<TAB>score" lines
# (label 0 / 0.5 / 1, or neg / neu / pos) and prints one line
#   n=N bal=B acc=A negnot=G neutral=U sign=S
# where a score counts as negative below -0.05, positive above 0.05 and
# neutral in between (the reports' rule, metrics.md), and
#   bal     balanced accuracy: the mean over the classes present of the share
#           of each class's rows given that class (a labelled opinion scored
#           neutral is a miss)
#   acc     share of rows given their own class ("sign right")
#   negnot  balanced accuracy of negative against not negative (neutral and
#           positive), what the negative counts of the reports depend on
#   neutral share of rows scored neutral
#   sign    balanced accuracy of the sign of the score on the rows labelled
#           negative or positive (a score of exactly 0 is a miss)
# Used by bench/accuracy.sh and bench/tune.sh.
BEGIN { FS = "\t" }
{
    c = ($1 == "0" || $1 == "neg") ? "neg" : ($1 == "1" || $1 == "pos") ? "pos" : "neu"
    p = ($2 < -0.05) ? "neg" : ($2 > 0.05) ? "pos" : "neu"
    n++; rows[c]++
    if (p == c) { hit[c]++; ok++ }
    if (p == "neu") band++
    if (c != "neu") { srows[c]++; if ((c == "pos" && $2 > 0) || (c == "neg" && $2 < 0)) shit[c]++ }
    nn = (c == "neg") ? "neg" : "not"
    np = (p == "neg") ? "neg" : "not"
    nrows[nn]++
    if (nn == np) nhit[nn]++
}
END {
    if (n == 0) { print "n=0 bal=0 acc=0 negnot=0 neutral=0 sign=0"; exit 1 }
    k = 0; b = 0
    for (c in rows) { k++; b += hit[c] / rows[c] }
    kn = 0; g = 0
    for (c in nrows) { kn++; g += nhit[c] / nrows[c] }
    ks = 0; sg = 0
    for (c in srows) { ks++; sg += shit[c] / srows[c] }
    printf "n=%d bal=%.4f acc=%.4f negnot=%.4f neutral=%.4f sign=%.4f\n", n, b / k, ok / n, g / kn, band / n, ks ? sg / ks : 0
}
