#!/bin/sh
# Installed per machine. Cordial keeps its data in each user's ~/.config/Cordial, which
# the package never touches on removal. Remind IT that the kiosk user needs the serial port.
echo "Cordial installed. Add the kiosk user to the 'dialout' group to use the rating keypad: usermod -aG dialout <user>"
