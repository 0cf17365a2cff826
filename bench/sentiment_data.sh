# The shared data sets as the sentiment model is trained and measured on
# them; sourced by models/train.sh and bench/accuracy.sh, so both use the
# same rows in the same order (the order is part of the recipe: it fixes
# the shuffle and the rows that choose the neutral band).
#
#   sentiment_split DATA DIR     split every file (bench/accuracy_split.c)
#   sentiment_inputs DIR SET [DOMAIN]
#                                the training CSVs of SET (train or fit) of
#                                every domain, our service feedback and the
#                                lexicons included, but DOMAIN; one path a line
#
# Our own service feedback (models/service_feedback.csv, in this
# repository) is always trained on, never left out: it has no TEST rows
# (the service test is tests/fixtures/service_sentences.tsv).

# Chinese: waimai_10k, then the ten categories of online_shopping_10_cats.
sentiment_domains_zh="waimai books tablets phones fruit shampoo heaters dairy clothes computers hotel"
sentiment_domains_en="sentences ba alexa airline"
sentiment_domains_service="service_en service_zh"

sentiment_split() {
    local data=$1 dir=$2 top
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla \
        -o "$dir/accuracy_split" "$top/bench/accuracy_split.c" || return 1
    local kind file path
    while read -r kind file; do
        path=$data/$file
        [ "$kind" = service ] && path=$top/$file
        [ -r "$path" ] || { echo "sentiment: cannot read $path" >&2; return 2; }
        "$dir/accuracy_split" "$kind" "$path" "$dir" || return 1
    done <<'FILES'
waimai zh/waimai_10k.csv
shopping zh/online_shopping_10_cats.csv
sentences en/review_sentences.csv
ba en/ba_reviews.csv
alexa en/alexa_reviews.csv
airline en/airline_tweets.csv
service models/service_feedback.csv
lexicon en/opinion_lexicon_positive.txt
FILES
}

sentiment_inputs() {
    local dir=$1 set=$2 except=${3:-} d top
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    for d in $sentiment_domains_zh $sentiment_domains_en $sentiment_domains_service lexicon; do
        [ "$d" = "$except" ] || printf '%s\n' "$dir/$d.$set.csv"
    done
    # a word list, all of it trained on (never measured), as it is
    printf '%s\n' "$top/models/service_lexicon.csv"
}
