#!/usr/bin/env bash
# The config digest (printed by check-config, recorded in runs and, twelve
# digits of it, in every PDF footer) does not depend on a password in the
# [database] conninfo, in the key=value or the URI form, while any other
# change to the file changes it.  Expected digests are computed here
# independently: sha256sum of the file with the password written as ***.
. "$(dirname "$0")/lib.sh"

conf() { # name conninfo [extra line]
    printf '[database]\nconninfo = %s\n\n[nightly]\nperiod = previous_month\n%s\n' "$2" "${3:-}" \
        > "$scratch/$1.ini"
}
digest() {
    "$bin" check-config --config "$scratch/$1.ini" 2>&1 | sed -n 's/^config digest \([0-9a-f]\{12\}\)$/\1/p'
}
by_hand() { # name sed-expression: the file with its password masked, hashed
    sed "$2" "$scratch/$1.ini" | sha256sum | cut -c1-12
}

conf kv1 "host=db.example.com dbname=voc user=vr password=secret1"
conf kv2 "host=db.example.com dbname=voc user=vr password=other-secret"
conf quoted1 "host=db.example.com password = 'sec ret \\' 1' dbname=voc"
conf quoted2 "host=db.example.com password = 'x' dbname=voc"
conf uri1 "postgresql://vr:secret1@db.example.com/voc?sslmode=require&password=p1&sslpassword=k1"
conf uri2 "postgresql://vr:s2@db.example.com/voc?sslmode=require&password=p2&sslpassword=k2"
conf ssl1 "host=db.example.com sslkey=/k sslpassword=keypass1"
conf ssl2 "host=db.example.com sslkey=/k sslpassword=keypass2"
conf none "host=db.example.com dbname=voc"
conf other_host "host=db2.example.com dbname=voc user=vr password=secret1"
conf other_comment "host=db.example.com dbname=voc user=vr password=secret1" "; a comment"

d=$(digest kv1)
expect_match "check-config prints the digest" "$d" '^[0-9a-f]{12}$'
expect_eq "key=value: computed by hand" "$d" "$(by_hand kv1 's/password=secret1/password=***/')"
expect_eq "key=value: another password, same digest" "$(digest kv2)" "$d"
expect_eq "quoted: computed by hand" "$(digest quoted1)" \
    "$(by_hand quoted1 "s/password = 'sec ret \\\\' 1'/password = ***/")"
expect_eq "quoted: another password, same digest" "$(digest quoted2)" "$(digest quoted1)"
expect_eq "URI: computed by hand" "$(digest uri1)" \
    "$(by_hand uri1 's/vr:secret1@/vr:***@/; s/&password=p1/\&password=***/; s/sslpassword=k1/sslpassword=***/')"
expect_eq "URI: other passwords, same digest" "$(digest uri2)" "$(digest uri1)"
expect_eq "sslpassword: same digest" "$(digest ssl2)" "$(digest ssl1)"
expect_eq "no password: the file's own sha256" "$(digest none)" "$(sha256sum "$scratch/none.ini" | cut -c1-12)"
expect_eq "shipped config: the file's own sha256" \
    "$("$bin" check-config --config "$top/config/vocreport.ini" | sed -n 's/^config digest //p')" \
    "$(sha256sum "$top/config/vocreport.ini" | cut -c1-12)"
other=$(digest other_host)
expect_match "another host: a digest" "$other" '^[0-9a-f]{12}$'
expect_no_match "another host, another digest" "$other" "^$d\$"
other=$(digest other_comment)
expect_match "another comment: a digest" "$other" '^[0-9a-f]{12}$'
expect_no_match "another comment, another digest" "$other" "^$d\$"
out=$("$bin" check-config --config "$scratch/kv1.ini" 2>&1)
expect_no_match "the password is never printed" "$out" 'secret1'
# [database] source_conninfo is masked the same way (its own line).
src_conf() { # name source_conninfo
    printf '[database]\nconninfo = host=db.example.com\nsource_conninfo = %s\n\n[nightly]\nperiod = previous_month\n' \
        "$2" > "$scratch/$1.ini"
}
src_conf src1 "host=replica.example.com dbname=voc user=vr password=srcpw1"
src_conf src2 "host=replica.example.com dbname=voc user=vr password=srcpw2"
src_conf src_host "host=warehouse.example.com dbname=voc user=vr password=srcpw1"
d=$(digest src1)
expect_eq "source_conninfo: computed by hand" "$d" "$(by_hand src1 's/password=srcpw1/password=***/')"
expect_eq "source_conninfo: another password, same digest" "$(digest src2)" "$d"
expect_no_match "source_conninfo: another host, another digest" "$(digest src_host)" "^$d\$"
out=$("$bin" check-config --config "$scratch/src1.ini" 2>&1)
expect_no_match "the source password is never printed" "$out" 'srcpw1'
finish
