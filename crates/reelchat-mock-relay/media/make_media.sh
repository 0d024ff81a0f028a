#!/bin/sh
# Regenerates the embedded clips (H.264 constrained baseline, yuv420p, faststart,
# 3 s, 320x180) and their JPEG previews. Needs ffmpeg with libx264 and drawtext.
set -e
cd "$(dirname "$0")"
F=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
DT="drawtext=fontfile=$F:fontsize=20:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=(w-tw)/2:y=h-th-12"
ENC="-c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryslow -crf 30 -g 50 -movflags +faststart -an"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25:duration=3" \
  -vf "$DT:text='ReelChat mock A'" $ENC clip_a.mp4
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "smptebars=size=320x180:rate=25:duration=3" \
  -f lavfi -i "color=c=red:s=40x40:r=25:d=3" \
  -filter_complex "[0][1]overlay=x='mod(t*100,280)':y=20+20*sin(t*4),$DT:text='ReelChat mock B'" $ENC clip_b.mp4
ffmpeg -hide_banner -loglevel error -y -f lavfi \
  -i "life=size=160x90:rate=15:mold=10:ratio=0.1:death_color=#1a0033:life_color=#00ff99" -t 3 \
  -vf "scale=320:180:flags=neighbor,$DT:text='ReelChat mock C'" $ENC clip_c.mp4
for c in a b c; do
  ffmpeg -hide_banner -loglevel error -y -ss 1 -i clip_$c.mp4 -frames:v 1 -q:v 5 clip_$c.jpg
done
