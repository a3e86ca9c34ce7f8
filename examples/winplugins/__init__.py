"""The example Windows CNI plugins (nat, sdnbridge, sdnoverlay)."""
